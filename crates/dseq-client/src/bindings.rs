//! Typed bindings, generated from the Solidity interfaces the contracts are checked against.
//!
//! `ILockingPool` comes from `contracts/interfaces/ILockingPool.sol`, the same file the contract's
//! events and errors are generated from (`dseq-abi`) and its `export-abi` is compared with, so a
//! client can never drift from the deployed ABI. The rest are the EVM pieces around the Stylus
//! programs: the ERC-1967 proxy, the METIS mock and Arbitrum's precompiles.

use alloy::primitives::{address, Address};
use alloy::sol;

sol!(
    #[sol(rpc, abi, all_derives)]
    "../../contracts/interfaces/ILockingPool.sol"
);

sol!(
    #[sol(rpc, abi, all_derives)]
    "../../contracts/interfaces/IMetisVotes.sol"
);

sol!(
    #[sol(rpc, abi, all_derives)]
    "../../contracts/interfaces/ITimelock.sol"
);

sol!(
    #[sol(rpc, abi, all_derives)]
    "../../contracts/interfaces/IGovernor.sol"
);

sol!(
    #[sol(rpc, abi, all_derives)]
    "../../contracts/interfaces/ISequencerElection.sol"
);

sol!(
    #[sol(rpc, abi, all_derives)]
    "../../contracts/interfaces/ILstRegistry.sol"
);

sol!(
    #[sol(rpc, abi, all_derives)]
    "../../contracts/interfaces/IRewardDistributor.sol"
);

sol! {
    /// `contracts/solidity/ERC1967Proxy.sol`: the proxy every stateful contract sits behind.
    #[sol(rpc, abi, all_derives)]
    interface ERC1967Proxy {
        event Upgraded(address indexed implementation);
        event AdminChanged(address previousAdmin, address newAdmin);
        error ERC1967InvalidImplementation(address implementation);
        error ProxyUnauthorized(address caller);
        error ProxyInitializationFailed(bytes reason);
        error ProxyInvalidAdmin(address admin);
        function upgradeToAndCall(address implementation, bytes data) external;
        function changeAdmin(address newAdmin) external;
    }

    /// An ERC-20 as METIS is one (`contracts/solidity/MockMetis.sol` adds `mint` on dev chains).
    #[sol(rpc, abi, all_derives)]
    interface IERC20 {
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error ERC20InvalidReceiver(address receiver);
        error ERC20InvalidSender(address sender);
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function mint(address to, uint256 value) external;
    }

    /// Arbitrum's ArbWasm precompile at `0x71`: activation of Stylus programs.
    #[sol(rpc, abi)]
    interface ArbWasm {
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16);
        function programVersion(address program) external view returns (uint16);
        function codehashVersion(bytes32 codehash) external view returns (uint16);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
    }

    /// Arbitrum's ArbWasmCache precompile at `0x72`: the chain's program cache. A cached
    /// program's calls pay only its cached init cost; the chain owner and cache managers
    /// (Arbitrum One's CacheManager auction) may cache.
    #[sol(rpc, abi)]
    interface ArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function cacheProgram(address addr) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);
        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }

    /// Arbitrum's ArbOwnerPublic precompile at `0x6B`: who owns the chain.
    #[sol(rpc, abi)]
    interface ArbOwnerPublic {
        function isChainOwner(address addr) external view returns (bool);
    }

    /// The StylusDeployer cargo-stylus uses for programs with a constructor.
    #[sol(rpc, abi)]
    interface StylusDeployer {
        event ContractDeployed(address deployedContract);
        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error InitValueButNotInitData();
        error EmptyBytecode();
        error RefundExcessValueError(uint256 excessValue);
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
    }

    /// The selector cargo-stylus sends as `initData` for a constructor without arguments.
    function stylus_constructor();
}

/// The ArbWasm precompile (activation).
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// ArbWasmCache.
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");
/// ArbOwnerPublic.
pub const ARB_OWNER_PUBLIC: Address = address!("000000000000000000000000000000000000006b");
/// The StylusDeployer cargo-stylus uses for programs with a constructor (same address on every
/// Arbitrum chain, and on the devnode).
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// Every ABI the client knows, for decoding revert data by name: the suite's interfaces first.
pub fn known_abis() -> Vec<alloy::json_abi::JsonAbi> {
    vec![
        ILockingPool::abi::contract(),
        IMetisVotes::abi::contract(),
        IGovernor::abi::contract(),
        ITimelock::abi::contract(),
        ISequencerElection::abi::contract(),
        ILstRegistry::abi::contract(),
        IRewardDistributor::abi::contract(),
        ERC1967Proxy::abi::contract(),
        IERC20::abi::contract(),
        ArbWasm::abi::contract(),
        StylusDeployer::abi::contract(),
    ]
}

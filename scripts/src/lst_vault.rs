//! The Solidity LST vault mock (`contracts/solidity/MockLstVault.sol`) the demo, the bench
//! and the devnode suite pair with sequencers: holders deposit METIS for shares, its manager
//! pairs it through lst-registry and delegates through locking-pool, and claims its LST rewards
//! from reward-distributor.

use anyhow::Result;
use dseq_client::alloy::primitives::{Address, U256};
use dseq_client::alloy::sol;
use dseq_client::alloy::sol_types::SolValue;
use dseq_client::artifacts::Artifacts;
use dseq_client::{Client, Deployment};

sol! {
    /// `contracts/solidity/MockLstVault.sol`, as its callers see it.
    #[sol(rpc)]
    interface IMockLstVault {
        function manager() external view returns (address);
        function totalShares() external view returns (uint256);
        function sharesOf(address holder) external view returns (uint256);
        function deposit(uint256 amount) external;
        function redeem(uint256 amount) external;
        function offerPairing(uint256 sequencerId) external;
        function acceptPairing(uint256 sequencerId) external;
        function unpair(uint256 sequencerId) external;
        function delegate(uint256 sequencerId, uint256 amount) external;
        function requestWithdrawal(uint256 sequencerId, uint256 amount) external returns (uint256);
        function claim() external returns (uint256);
        function claimRewards() external returns (uint256);
        function rewards() external view returns (uint256);
        function setHostile(bool on) external;
        function execute(address target, bytes calldata data) external returns (bytes memory);
        function totalAssets() external view returns (uint256 idle, uint256 staked, uint256 pending, uint256 total);

        /// What a hostile vault (`setHostile(true)`) answers every call with.
        error Hostile();
    }
}

/// What the vault holds, by where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VaultAssets {
    pub idle: U256,
    pub staked: U256,
    pub pending: U256,
    pub total: U256,
    pub shares: U256,
    /// LST rewards the vault claimed and holds apart from the principal.
    pub rewards: U256,
}

/// Deploys a vault over deployment `d`'s METIS, pool and registry, managed by `manager`.
pub async fn deploy(client: &Client, artifacts: &Artifacts, d: &Deployment, from: Address, manager: Address) -> Result<Address> {
    let code = artifacts.forge("MockLstVault", "MockLstVault")?;
    let args = (d.token()?, d.pool()?, d.lst_registry()?, manager).abi_encode_params();
    Ok(client.deploy_evm(from, &code, &args).await?.0)
}

/// The vault's assets and shares.
pub async fn assets(client: &Client, vault: Address) -> Result<VaultAssets> {
    let v = IMockLstVault::new(vault, client.provider.clone());
    let a = v.totalAssets().call().await?;
    Ok(VaultAssets { idle: a.idle, staked: a.staked, pending: a.pending, total: a.total, shares: v.totalShares().call().await?, rewards: v.rewards().call().await? })
}

//! locking-pool on a real node: MockMetis (EVM) <- ERC1967Proxy (EVM) -> locking-pool (Stylus,
//! the entry program) -> delegatecall -> locking-pool-module (Stylus). Every scenario asserts exact state, events
//! decoded from receipts, errors decoded from real revert data and token balances.

use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::TransactionReceipt;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::{SolCall, SolValue};
use dseq_tests::{event, events, Harness};

sol!(
    #[sol(rpc, all_derives)]
    "../contracts/interfaces/ILockingPool.sol"
);

sol! {
    #[sol(rpc, all_derives)]
    interface MockMetis {
        event Transfer(address indexed from, address indexed to, uint256 value);
        function mint(address to, uint256 value) external;
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
    }

    #[sol(rpc, all_derives)]
    interface ReentrantToken {
        event HookCalled(address target, bool ok, bytes returnData);
        function setHook(address target, bytes data) external;
    }

    #[sol(rpc, all_derives)]
    interface ERC1967Proxy {
        event Upgraded(address indexed implementation);
        event AdminChanged(address previousAdmin, address newAdmin);
        error ProxyInitializationFailed(bytes reason);
        error ProxyUnauthorized(address caller);
        error ProxyInvalidAdmin(address admin);
        function upgradeToAndCall(address implementation, bytes data) external;
        function changeAdmin(address newAdmin) external;
    }
}

/// `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`.
const IMPLEMENTATION_SLOT: B256 = alloy::primitives::b256!("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc");

use ILockingPool::{ILockingPoolErrors as PoolError, ILockingPoolInstance};

const EXIT_DELAY: u64 = 21 * 24 * 3600;

fn metis(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// Sends a contract call and waits for a successful receipt.
macro_rules! send {
    ($call:expr) => {{
        let receipt = $call
            .send()
            .await
            .unwrap_or_else(|e| panic!("{} failed: {e:?}", stringify!($call)))
            .get_receipt()
            .await
            .expect("receipt");
        assert!(receipt.status(), "{} reverted", stringify!($call));
        receipt
    }};
}

/// Sends a contract call that must revert, and decodes its revert data as a pool error.
macro_rules! revert {
    ($call:expr) => {{
        match $call.send().await {
            Ok(_) => panic!("{} did not revert", stringify!($call)),
            Err(e) => e
                .as_decoded_interface_error::<PoolError>()
                .unwrap_or_else(|| panic!("{}: undecoded revert: {e:?}", stringify!($call))),
        }
    }};
}

/// A deployed pool: the proxy everyone calls, its METIS and the accounts playing each role.
struct Pool {
    h: Harness,
    /// The ERC-1967 proxy (the pool's address).
    pool: ILockingPoolInstance<DynProvider>,
    token: MockMetis::MockMetisInstance<DynProvider>,
    /// DEFAULT_ADMIN, ADMISSION and PAUSER roles (dev account 0, the deployer).
    admin: Address,
    implementation: Address,
    module: Address,
    /// The governance program (program 2).
    admin_program: Address,
    delegation: Address,
}

impl Pool {
    /// MockMetis, both programs through the StylusDeployer, and the proxy initialized with
    /// `initialize(admin, metis, [module])` (proxy admin: dev account 9).
    async fn deploy() -> Pool {
        let h = Harness::start().await.expect("node");
        let token = h
            .deploy_forge("MockMetis", "MockMetis", &[])
            .await
            .expect("MockMetis");
        Self::deploy_with(h, token).await
    }

    async fn deploy_with(h: Harness, token: Address) -> Pool {
        let module = h
            .deploy_artifact("locking-pool-module")
            .await
            .expect("module");
        let admin_program = h
            .deploy_artifact("locking-pool-admin")
            .await
            .expect("admin program");
        let delegation = h
            .deploy_artifact("locking-pool-delegation")
            .await
            .expect("delegation program");
        let implementation = h
            .deploy_artifact("locking-pool")
            .await
            .expect("locking-pool");
        let admin = h.accounts[0];
        let init = ILockingPool::initializeCall {
            admin,
            token,
            programs: vec![module, admin_program, delegation],
        }
        .abi_encode();
        let args = (implementation, h.accounts[9], Bytes::from(init)).abi_encode_params();
        let proxy = h
            .deploy_forge("ERC1967Proxy", "ERC1967Proxy", &args)
            .await
            .expect("proxy");
        let pool = ILockingPool::new(proxy, h.provider.clone());
        let token = MockMetis::new(token, h.provider.clone());
        Pool {
            h,
            pool,
            token,
            admin,
            implementation,
            module,
            admin_program,
            delegation,
        }
    }

    fn address(&self) -> Address {
        *self.pool.address()
    }

    /// The signer proof a signer key gives `owner`: its signature of the pool's EIP-712
    /// `SignerProof(owner)` digest (`signerProofDigest`), made as `dseq operator` makes it.
    async fn proof(&self, signer: &PrivateKeySigner, owner: Address) -> Bytes {
        use alloy::signers::SignerSync;
        let digest = self.pool.signerProofDigest(owner).call().await.expect("signerProofDigest");
        Bytes::copy_from_slice(&signer.sign_hash_sync(&digest).expect("sign").as_bytes())
    }

    async fn balance(&self, account: Address) -> U256 {
        self.token
            .balanceOf(account)
            .call()
            .await
            .expect("balanceOf")
    }

    /// Admits `owner`, mints it `minted` METIS and approves the pool for all of it.
    async fn fund_and_admit(&self, owner: Address, minted: U256) {
        send!(self.pool.setWhitelist(owner, true).from(self.admin));
        send!(self.token.mint(owner, minted).from(owner));
        send!(self.token.approve(self.address(), U256::MAX).from(owner));
    }

    /// Registers `owner`'s sequencer with `signer`, proving it with the 64-byte public key.
    async fn register(
        &self,
        owner: Address,
        signer: &PrivateKeySigner,
        amount: U256,
    ) -> TransactionReceipt {
        send!(self
            .pool
            .lockFor(signer.address(), amount, self.proof(signer, owner).await)
            .from(owner))
    }
}

/// A signer key derived deterministically from `n`.
fn signer_key(n: u8) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&B256::repeat_byte(n)).expect("key")
}

/// The 64-byte uncompressed public key (without the 0x04 prefix): Metis's proof form, which
/// the pool refuses.
fn pubkey(signer: &PrivateKeySigner) -> Bytes {
    Bytes::copy_from_slice(signer.public_key().as_slice())
}

#[tokio::test]
async fn deploys_behind_the_proxy_with_defaults() {
    let p = Pool::deploy().await;
    assert_eq!(p.pool.token().call().await.unwrap(), *p.token.address());
    // `programs()` is the entry program's own view; `exitDelayPeriod()` too;
    // `maxWithdrawalRequests()` is served by the module, forwarded by delegatecall.
    assert_eq!(p.pool.programs().call().await.unwrap(), vec![p.module, p.admin_program, p.delegation]);
    assert_eq!(p.pool.minLock().call().await.unwrap(), metis(20_000));
    assert_eq!(p.pool.maxLock().call().await.unwrap(), metis(100_000));
    assert_eq!(p.pool.exitDelayPeriod().call().await.unwrap(), U256::from(EXIT_DELAY));
    assert_eq!(p.pool.maxWithdrawalRequests().call().await.unwrap(), 8);
    let admin_role = p.pool.DEFAULT_ADMIN_ROLE().call().await.unwrap();
    assert!(p.pool.hasRole(admin_role, p.admin).call().await.unwrap());
    assert!(!p.pool.paused().call().await.unwrap());

    // The bare implementations' constructors disabled their initializers.
    let bare = ILockingPool::new(p.implementation, p.h.provider.clone());
    let err = revert!(bare
        .initialize(p.admin, *p.token.address(), vec![p.module, p.admin_program, p.delegation])
        .from(p.admin));
    assert_eq!(
        err,
        PoolError::InvalidInitialization(ILockingPool::InvalidInitialization {})
    );
    // And the proxy cannot be initialized twice.
    let err = revert!(p
        .pool
        .initialize(p.admin, *p.token.address(), vec![p.module, p.admin_program, p.delegation])
        .from(p.admin));
    assert_eq!(
        err,
        PoolError::InvalidInitialization(ILockingPool::InvalidInitialization {})
    );
}

#[tokio::test]
async fn admit_register_and_relock() {
    let p = Pool::deploy().await;
    let (owner, pool) = (p.h.accounts[1], p.address());
    let signer = signer_key(0x11);

    let r = send!(p.pool.setWhitelist(owner, true).from(p.admin));
    assert_eq!(
        event::<ILockingPool::SetWhitelist>(&r, pool),
        ILockingPool::SetWhitelist {
            user: owner,
            yes: true
        }
    );
    assert!(p.pool.whitelist(owner).call().await.unwrap());
    send!(p.token.mint(owner, metis(50_000)).from(owner));
    send!(p.token.approve(pool, U256::MAX).from(owner));

    let r = p.register(owner, &signer, metis(30_000)).await;
    let ts = p.h.block_timestamp(&r).await.unwrap();
    assert_eq!(
        event::<ILockingPool::Locked>(&r, pool),
        ILockingPool::Locked {
            signer: signer.address(),
            sequencerId: U256::from(1),
            owner,
            amount: metis(30_000),
            total: metis(30_000),
        }
    );
    assert_eq!(
        event::<ILockingPool::SequencerOwnerChanged>(&r, pool),
        ILockingPool::SequencerOwnerChanged {
            sequencerId: U256::from(1),
            owner
        }
    );
    assert_eq!(
        event::<ILockingPool::SequencerRewardRecipientChanged>(&r, pool),
        ILockingPool::SequencerRewardRecipientChanged {
            sequencerId: U256::from(1),
            recipient: owner
        }
    );
    // The token's own event, emitted by the EVM contract the Stylus program called.
    assert_eq!(
        event::<MockMetis::Transfer>(&r, *p.token.address()),
        MockMetis::Transfer {
            from: owner,
            to: pool,
            value: metis(30_000)
        }
    );
    assert_eq!(p.balance(owner).await, metis(20_000));
    assert_eq!(p.balance(pool).await, metis(30_000));

    let seq = p.pool.sequencerInfo(U256::from(1)).call().await.unwrap();
    assert_eq!(seq.amount, metis(30_000));
    assert_eq!(seq.owner, owner);
    assert_eq!(seq.signer, signer.address());
    assert_eq!(seq.rewardRecipient, owner);
    assert_eq!(seq.status, 2); // Active
    assert_eq!(seq.nonce, 1);
    assert_eq!(seq.activationTime, ts);
    assert_eq!(seq.signerUpdatedAt, ts);
    assert_eq!(seq.deactivationTime, 0);
    assert_eq!(p.pool.seqOwners(owner).call().await.unwrap(), U256::from(1));
    assert_eq!(
        p.pool.seqSigners(signer.address()).call().await.unwrap(),
        U256::from(1)
    );
    assert_eq!(
        p.pool.totalSequencers().call().await.unwrap(),
        U256::from(1)
    );
    assert_eq!(
        p.pool.activeSequencers().call().await.unwrap(),
        U256::from(1)
    );
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), metis(30_000));

    // Relock 5k: stake 35k, nonce 2.
    let r = send!(p
        .pool
        .relock(U256::from(1), metis(5_000), false)
        .from(owner));
    assert_eq!(
        event::<ILockingPool::Relocked>(&r, pool),
        ILockingPool::Relocked {
            sequencerId: U256::from(1),
            amount: metis(5_000),
            total: metis(35_000)
        }
    );
    assert_eq!(
        event::<ILockingPool::LockUpdate>(&r, pool),
        ILockingPool::LockUpdate {
            sequencerId: U256::from(1),
            nonce: U256::from(2),
            newAmount: metis(35_000)
        }
    );
    assert!(events::<ILockingPool::RewardCompounded>(&r, pool).is_empty());
    assert_eq!(p.balance(owner).await, metis(15_000));
    assert_eq!(p.balance(pool).await, metis(35_000));
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), metis(35_000));
    let seq = p.pool.sequencerInfo(U256::from(1)).call().await.unwrap();
    assert_eq!((seq.amount, seq.nonce), (metis(35_000), 2));

    // Relocking above maxLock, or nothing at all, fails with its data.
    send!(p.token.mint(owner, metis(100_000)).from(owner));
    let err = revert!(p
        .pool
        .relock(U256::from(1), metis(65_001), false)
        .from(owner));
    assert_eq!(
        err,
        PoolError::LockAboveMax(ILockingPool::LockAboveMax {
            newAmount: metis(100_001),
            maxLock: metis(100_000)
        })
    );
    let err = revert!(p.pool.relock(U256::from(1), U256::ZERO, false).from(owner));
    assert_eq!(
        err,
        PoolError::NoNewLockedAdded(ILockingPool::NoNewLockedAdded {})
    );
}

#[tokio::test]
async fn partial_withdrawal_is_claimable_after_the_exit_delay() {
    let p = Pool::deploy().await;
    let (owner, pool) = (p.h.accounts[1], p.address());
    p.fund_and_admit(owner, metis(30_000)).await;
    p.register(owner, &signer_key(0x21), metis(30_000)).await;
    let id = U256::from(1);

    let r = send!(p.pool.requestWithdrawal(id, metis(7_000)).from(owner));
    let claimable_at = p.h.block_timestamp(&r).await.unwrap() + EXIT_DELAY;
    let requested = event::<ILockingPool::WithdrawalRequested>(&r, pool);
    assert_eq!(
        requested,
        ILockingPool::WithdrawalRequested {
            sequencerId: id,
            requestId: requested.requestId,
            amount: metis(7_000),
            claimableAt: claimable_at,
        }
    );
    let request_id = requested.requestId;
    assert_eq!(
        event::<ILockingPool::LockUpdate>(&r, pool),
        ILockingPool::LockUpdate {
            sequencerId: id,
            nonce: U256::from(2),
            newAmount: metis(23_000)
        }
    );
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), metis(23_000));
    assert_eq!(
        p.pool.totalPendingWithdrawals().call().await.unwrap(),
        metis(7_000)
    );
    let req = p
        .pool
        .withdrawalRequest(id, request_id.to())
        .call()
        .await
        .unwrap();
    assert_eq!((req.amount, req.claimableAt), (metis(7_000), claimable_at));

    // Below minLock: 23k - 3_001 < 20k.
    let err = revert!(p.pool.requestWithdrawal(id, metis(3_001)).from(owner));
    assert_eq!(
        err,
        PoolError::WithdrawalBelowMinLock(ILockingPool::WithdrawalBelowMinLock {
            remaining: metis(19_999),
            minLock: metis(20_000),
        })
    );

    // One second early: nothing has matured, and the error says when it will. The pending
    // block, where the call is estimated and would be mined, is pinned one second early: the
    // node's clock runs on in wall time, and a block is always later than the one before.
    p.h.warp_to(claimable_at - 2).await.unwrap();
    p.h.set_next_timestamp(claimable_at - 1).await.unwrap();
    let err = revert!(p.pool.claimWithdrawals(id).from(owner));
    assert_eq!(
        err,
        PoolError::NothingToClaim(ILockingPool::NothingToClaim {
            sequencerId: id,
            nextClaimableAt: claimable_at
        })
    );

    // At the second it matures.
    p.h.set_next_timestamp(claimable_at).await.unwrap();
    let before = (p.balance(owner).await, p.balance(pool).await);
    let r = send!(p.pool.claimWithdrawals(id).from(owner));
    assert_eq!(p.h.block_timestamp(&r).await.unwrap(), claimable_at);
    assert_eq!(
        event::<ILockingPool::WithdrawalsClaimed>(&r, pool),
        ILockingPool::WithdrawalsClaimed {
            sequencerId: id,
            owner,
            amount: metis(7_000),
            firstRequestId: request_id,
            count: U256::from(1),
        }
    );
    assert_eq!(
        event::<MockMetis::Transfer>(&r, *p.token.address()),
        MockMetis::Transfer {
            from: pool,
            to: owner,
            value: metis(7_000)
        }
    );
    assert_eq!(p.balance(owner).await, before.0 + metis(7_000));
    assert_eq!(p.balance(pool).await, before.1 - metis(7_000));
    assert_eq!(
        p.pool.totalPendingWithdrawals().call().await.unwrap(),
        U256::ZERO
    );
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), metis(23_000));
    let queue = p.pool.withdrawalQueue(id).call().await.unwrap();
    assert_eq!((queue.pending, queue.claimable), (U256::ZERO, U256::ZERO));

    // Nothing open any more: nextClaimableAt is 0.
    let err = revert!(p.pool.claimWithdrawals(id).from(owner));
    assert_eq!(
        err,
        PoolError::NothingToClaim(ILockingPool::NothingToClaim {
            sequencerId: id,
            nextClaimableAt: 0
        })
    );
}

#[tokio::test]
async fn unlock_then_unlock_claim_after_the_delay() {
    let p = Pool::deploy().await;
    let (owner, pool) = (p.h.accounts[2], p.address());
    let signer = signer_key(0x31);
    p.fund_and_admit(owner, metis(40_000)).await;
    p.register(owner, &signer, metis(40_000)).await;
    let id = U256::from(1);

    let r = send!(p.pool.unlock(id, 0).from(owner));
    let now = p.h.block_timestamp(&r).await.unwrap();
    assert_eq!(
        event::<ILockingPool::UnlockInit>(&r, pool),
        ILockingPool::UnlockInit {
            signer: signer.address(),
            sequencerId: id,
            nonce: U256::from(2),
            deactivationTime: now,
            unlockClaimTime: now + EXIT_DELAY,
            amount: metis(40_000),
            forced: false,
        }
    );
    let seq = p.pool.sequencerInfo(id).call().await.unwrap();
    assert_eq!(
        (seq.status, seq.deactivationTime, seq.unlockClaimTime),
        (1, now, now + EXIT_DELAY)
    );
    assert_eq!(p.pool.activeSequencers().call().await.unwrap(), U256::ZERO);

    // Too early (the pending block pinned a second before), then a second unlock.
    p.h.warp_to(now + EXIT_DELAY - 2).await.unwrap();
    p.h.set_next_timestamp(now + EXIT_DELAY - 1).await.unwrap();
    let err = revert!(p.pool.unlockClaim(id, 0).from(owner));
    match err {
        PoolError::UnlockNotReady(e) => {
            assert_eq!((e.sequencerId, e.unlockClaimTime), (id, now + EXIT_DELAY));
            assert!(e.now < now + EXIT_DELAY, "now = {}", e.now);
        }
        other => panic!("expected UnlockNotReady, got {other:?}"),
    }
    let err = revert!(p.pool.unlock(id, 0).from(owner));
    assert_eq!(
        err,
        PoolError::SeqNotActive(ILockingPool::SeqNotActive {
            sequencerId: id,
            status: 1
        })
    );

    p.h.warp_to(now + EXIT_DELAY).await.unwrap();
    let before = (p.balance(owner).await, p.balance(pool).await);
    let r = send!(p.pool.unlockClaim(id, 0).from(owner));
    assert_eq!(
        event::<ILockingPool::Unlocked>(&r, pool),
        ILockingPool::Unlocked {
            user: owner,
            sequencerId: id,
            amount: metis(40_000),
            total: U256::ZERO
        }
    );
    assert_eq!(p.balance(owner).await, before.0 + metis(40_000));
    assert_eq!(p.balance(pool).await, before.1 - metis(40_000));
    let seq = p.pool.sequencerInfo(id).call().await.unwrap();
    assert_eq!((seq.status, seq.amount), (3, U256::ZERO));
    assert_eq!(p.pool.seqOwners(owner).call().await.unwrap(), U256::ZERO);
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), U256::ZERO);
}

#[tokio::test]
async fn pause_blocks_lock_for_but_not_unlock() {
    let p = Pool::deploy().await;
    let (alice, bob, pool) = (p.h.accounts[1], p.h.accounts[2], p.address());
    p.fund_and_admit(alice, metis(20_000)).await;
    p.fund_and_admit(bob, metis(20_000)).await;
    p.register(alice, &signer_key(0x41), metis(20_000)).await;

    let r = send!(p.pool.pause().from(p.admin));
    assert_eq!(
        event::<ILockingPool::Paused>(&r, pool),
        ILockingPool::Paused { account: p.admin }
    );
    assert!(p.pool.paused().call().await.unwrap());

    let signer = signer_key(0x42);
    let err = revert!(p
        .pool
        .lockFor(signer.address(), metis(20_000), p.proof(&signer, bob).await)
        .from(bob));
    assert_eq!(
        err,
        PoolError::EnforcedPause(ILockingPool::EnforcedPause {})
    );
    let err = revert!(p.pool.relock(U256::from(1), metis(1), false).from(alice));
    assert_eq!(
        err,
        PoolError::EnforcedPause(ILockingPool::EnforcedPause {})
    );
    assert_eq!(p.balance(bob).await, metis(20_000));

    // Exits work while paused.
    let r = send!(p.pool.unlock(U256::from(1), 0).from(alice));
    assert_eq!(
        event::<ILockingPool::UnlockInit>(&r, pool).amount,
        metis(20_000)
    );

    // Only the pauser may unpause; then bob registers.
    let err = revert!(p.pool.unpause().from(bob));
    let pauser = p.pool.PAUSER_ROLE().call().await.unwrap();
    assert_eq!(
        err,
        PoolError::AccessControlUnauthorizedAccount(
            ILockingPool::AccessControlUnauthorizedAccount {
                account: bob,
                neededRole: pauser,
            }
        )
    );
    let r = send!(p.pool.unpause().from(p.admin));
    assert_eq!(
        event::<ILockingPool::Unpaused>(&r, pool),
        ILockingPool::Unpaused { account: p.admin }
    );
    let r = p.register(bob, &signer, metis(20_000)).await;
    assert_eq!(
        event::<ILockingPool::Locked>(&r, pool).sequencerId,
        U256::from(2)
    );
}

#[tokio::test]
async fn errors_are_decoded_from_revert_data() {
    let p = Pool::deploy().await;
    let (alice, bob, carol) = (p.h.accounts[1], p.h.accounts[2], p.h.accounts[3]);
    p.fund_and_admit(alice, metis(100_000)).await;
    p.fund_and_admit(bob, metis(100_000)).await;
    let signer = signer_key(0x51);

    // carol is not admitted.
    let err = revert!(p
        .pool
        .lockFor(signer.address(), metis(20_000), p.proof(&signer, carol).await)
        .from(carol));
    assert_eq!(
        err,
        PoolError::NotWhitelisted(ILockingPool::NotWhitelisted { account: carol })
    );

    // Out of [minLock, maxLock], both ways.
    for amount in [
        metis(20_000) - U256::from(1),
        metis(100_000) + U256::from(1),
    ] {
        let err = revert!(p
            .pool
            .lockFor(signer.address(), amount, p.proof(&signer, alice).await)
            .from(alice));
        assert_eq!(
            err,
            PoolError::InvalidLockAmount(ILockingPool::InvalidLockAmount {
                amount,
                minLock: metis(20_000),
                maxLock: metis(100_000),
            })
        );
    }

    // Bad proofs.
    let err = revert!(p
        .pool
        .lockFor(signer.address(), metis(20_000), Bytes::from(vec![1u8; 63]))
        .from(alice));
    assert_eq!(
        err,
        PoolError::InvalidProofLength(ILockingPool::InvalidProofLength {
            length: U256::from(63)
        })
    );
    // Metis's public-key proof is refused: a public key proves nothing about who holds the key.
    let err = revert!(p
        .pool
        .lockFor(signer.address(), metis(20_000), pubkey(&signer))
        .from(alice));
    assert_eq!(
        err,
        PoolError::PublicKeyProofRefused(ILockingPool::PublicKeyProofRefused { signer: signer.address() })
    );
    let other = signer_key(0x52);
    let err = revert!(p
        .pool
        .lockFor(signer.address(), metis(20_000), p.proof(&other, alice).await)
        .from(alice));
    assert_eq!(
        err,
        PoolError::InvalidSignerProof(ILockingPool::InvalidSignerProof {
            signer: signer.address()
        })
    );

    // A signer is never reused, and an owner has one live sequencer.
    p.register(alice, &signer, metis(20_000)).await;
    let err = revert!(p
        .pool
        .lockFor(signer.address(), metis(20_000), p.proof(&signer, bob).await)
        .from(bob));
    assert_eq!(
        err,
        PoolError::SignerExisted(ILockingPool::SignerExisted {
            signer: signer.address()
        })
    );
    let fresh = signer_key(0x53);
    let err = revert!(p
        .pool
        .lockFor(fresh.address(), metis(20_000), p.proof(&fresh, alice).await)
        .from(alice));
    assert_eq!(
        err,
        PoolError::OwnedSequencer(ILockingPool::OwnedSequencer {
            owner: alice,
            sequencerId: U256::from(1)
        })
    );

    // Module-served errors come back through both delegatecalls unchanged.
    let err = revert!(p.pool.unlock(U256::from(1), 0).from(bob));
    assert_eq!(
        err,
        PoolError::NotSeqOwner(ILockingPool::NotSeqOwner {
            sequencerId: U256::from(1),
            caller: bob
        })
    );
    let err = revert!(p.pool.unlockClaim(U256::from(7), 0).from(bob));
    assert_eq!(
        err,
        PoolError::NoSuchSeq(ILockingPool::NoSuchSeq {
            sequencerId: U256::from(7)
        })
    );

    // No state changed through the failures: one sequencer, alice's 20k.
    assert_eq!(
        p.pool.totalSequencers().call().await.unwrap(),
        U256::from(1)
    );
    assert_eq!(p.balance(p.address()).await, metis(20_000));
    assert_eq!(p.balance(bob).await, metis(100_000));
}

#[tokio::test]
async fn snapshot_and_revert_undo_a_registration() {
    let p = Pool::deploy().await;
    let owner = p.h.accounts[1];
    p.fund_and_admit(owner, metis(20_000)).await;
    let snap = p.h.snapshot().await.unwrap();
    p.register(owner, &signer_key(0x61), metis(20_000)).await;
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), metis(20_000));
    assert!(p.h.revert_to(snap).await.unwrap());
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), U256::ZERO);
    assert_eq!(p.pool.seqOwners(owner).call().await.unwrap(), U256::ZERO);
    assert_eq!(p.balance(owner).await, metis(20_000));
    // The same registration succeeds again after the revert.
    let r = p.register(owner, &signer_key(0x61), metis(20_000)).await;
    assert_eq!(
        event::<ILockingPool::Locked>(&r, p.address()).sequencerId,
        U256::from(1)
    );
}

#[tokio::test]
async fn reentrant_token_calling_back_into_the_pool_is_rejected() {
    let h = Harness::start().await.expect("node");
    let evil = h
        .deploy_forge("ReentrantToken", "ReentrantToken", &[])
        .await
        .expect("ReentrantToken");
    let p = Pool::deploy_with(h, evil).await;
    let evil = ReentrantToken::new(evil, p.h.provider.clone());
    let (owner, bystander, pool) = (p.h.accounts[1], p.h.accounts[2], p.address());
    p.fund_and_admit(owner, metis(30_000)).await;

    // The hook calls a view of the pool: harmless unless the pool is already on the stack.
    let hook = ILockingPool::totalLockedCall {}.abi_encode();
    send!(evil.setHook(pool, hook.clone().into()).from(owner));

    // Control: a plain transfer (the pool is not executing) runs the hook successfully.
    let r = send!(p.token.transfer(bystander, metis(1)).from(owner));
    let called = event::<ReentrantToken::HookCalled>(&r, *evil.address());
    assert_eq!((called.target, called.ok), (pool, true));
    assert_eq!(called.returnData, Bytes::from(U256::ZERO.abi_encode()));

    // During lockFor the pool calls transferFrom, the token calls back: rejected.
    let signer = signer_key(0x71);
    let r = p.register(owner, &signer, metis(20_000)).await;
    let called = event::<ReentrantToken::HookCalled>(&r, *evil.address());
    assert_eq!(called.target, pool);
    assert!(!called.ok, "re-entry into the pool succeeded: {called:?}");
    // The outer registration itself completed.
    assert_eq!(
        event::<ILockingPool::Locked>(&r, pool).amount,
        metis(20_000)
    );
    assert_eq!(p.balance(pool).await, metis(20_000));
    assert_eq!(p.balance(owner).await, metis(30_000 - 1 - 20_000));
}

/// Every other error of the pool that a caller can reach without a reward distributor contract,
/// decoded from the devnode's real revert data (the native suite covers the distributor's two).
#[tokio::test]
async fn the_remaining_errors_are_decoded_from_revert_data() {
    let p = Pool::deploy().await;
    let (alice, bob, stranger) = (p.h.accounts[1], p.h.accounts[2], p.h.accounts[3]);
    let id = U256::from(1);
    p.fund_and_admit(alice, metis(200_000)).await;
    p.register(alice, &signer_key(1), metis(30_000)).await;
    let fresh = signer_key(7);
    let pool = &p.pool;

    assert_eq!(revert!(pool.setWhitelist(Address::ZERO, true).from(p.admin)), PoolError::NullAddress(ILockingPool::NullAddress {}));
    assert_eq!(
        revert!(pool.unlockClaim(id, 0).from(alice)),
        PoolError::SeqNotInactive(ILockingPool::SeqNotInactive { sequencerId: id, status: 2 })
    );
    assert_eq!(
        revert!(pool.rotateSigner(id, fresh.address(), p.proof(&fresh, stranger).await).from(stranger)),
        PoolError::NotSeqOwnerOrSigner(ILockingPool::NotSeqOwnerOrSigner { sequencerId: id, caller: stranger })
    );
    let next_allowed = pool.sequencerInfo(id).call().await.unwrap().signerUpdatedAt + 86_400;
    assert_eq!(
        revert!(pool.rotateSigner(id, fresh.address(), p.proof(&fresh, alice).await).from(alice)),
        PoolError::SignerRotationTooSoon(ILockingPool::SignerRotationTooSoon { sequencerId: id, nextAllowedAt: next_allowed })
    );
    assert_eq!(
        revert!(pool.acceptSequencerOwner(id).from(stranger)),
        PoolError::NotPendingOwner(ILockingPool::NotPendingOwner { sequencerId: id, caller: stranger })
    );
    assert_eq!(revert!(pool.requestWithdrawal(id, U256::ZERO).from(alice)), PoolError::ZeroWithdrawal(ILockingPool::ZeroWithdrawal {}));
    assert_eq!(
        revert!(pool.requestWithdrawal(id, metis(30_001)).from(alice)),
        PoolError::WithdrawalExceedsStake(ILockingPool::WithdrawalExceedsStake { amount: metis(30_001), stake: metis(30_000) })
    );
    assert_eq!(
        revert!(pool.relock(id, U256::ZERO, true).from(alice)),
        PoolError::NoRewardDistributor(ILockingPool::NoRewardDistributor {})
    );

    // Governance parameters.
    assert_eq!(
        revert!(pool.setLockBounds(U256::ZERO, metis(1)).from(p.admin)),
        PoolError::InvalidLockBounds(ILockingPool::InvalidLockBounds { minLock: U256::ZERO, maxLock: metis(1) })
    );
    assert_eq!(
        revert!(pool.updateWithdrawDelayTimeValue(U256::ZERO).from(p.admin)),
        PoolError::InvalidExitDelay(ILockingPool::InvalidExitDelay { delay: U256::ZERO, maxDelay: U256::from(365u64 * 86_400) })
    );
    assert_eq!(
        revert!(pool.setSignerRotationDelay(31 * 86_400).from(p.admin)),
        PoolError::InvalidSignerRotationDelay(ILockingPool::InvalidSignerRotationDelay {
            delay: U256::from(31u64 * 86_400),
            maxDelay: U256::from(30u64 * 86_400)
        })
    );
    assert_eq!(
        revert!(pool.setMaxWithdrawalRequests(0).from(p.admin)),
        PoolError::InvalidMaxWithdrawalRequests(ILockingPool::InvalidMaxWithdrawalRequests { maxRequests: U256::ZERO, cap: U256::from(32) })
    );
    let admin_role = B256::ZERO;
    assert_eq!(
        revert!(pool.renounceRole(admin_role, stranger).from(p.admin)),
        PoolError::AccessControlBadConfirmation(ILockingPool::AccessControlBadConfirmation {})
    );
    assert_eq!(revert!(pool.unpause().from(p.admin)), PoolError::ExpectedPause(ILockingPool::ExpectedPause {}));

    // Registration failures of an admitted owner without allowance, or with a bad signature.
    send!(pool.setWhitelist(bob, true).from(p.admin));
    let key = signer_key(9);
    match revert!(pool.lockFor(key.address(), metis(20_000), p.proof(&key, bob).await).from(bob)) {
        PoolError::TokenCallFailed(e) => {
            assert_eq!(e.token, *p.token.address());
            let selector = alloy::primitives::keccak256("ERC20InsufficientAllowance(address,uint256,uint256)");
            assert_eq!(&e.reason[..4], &selector[..4], "MockMetis's own reason is kept");
        }
        other => panic!("unexpected {other:?}"),
    }
    let mut bad_v = vec![0x11u8; 65];
    bad_v[64] = 29;
    assert_eq!(
        revert!(pool.lockFor(key.address(), metis(20_000), Bytes::from(bad_v)).from(bob)),
        PoolError::ECDSAInvalidSignature(ILockingPool::ECDSAInvalidSignature {})
    );
    let mut high_s = vec![0x11u8; 65];
    high_s[32..64].fill(0xff);
    high_s[64] = 27;
    assert_eq!(
        revert!(pool.lockFor(key.address(), metis(20_000), Bytes::from(high_s)).from(bob)),
        PoolError::ECDSAInvalidSignatureS(ILockingPool::ECDSAInvalidSignatureS { s: B256::repeat_byte(0xff) })
    );

    // The open-request cap.
    for _ in 0..8 {
        send!(pool.requestWithdrawal(id, U256::from(1)).from(alice));
    }
    assert_eq!(
        revert!(pool.requestWithdrawal(id, U256::from(1)).from(alice)),
        PoolError::TooManyWithdrawalRequests(ILockingPool::TooManyWithdrawalRequests {
            sequencerId: id,
            open: U256::from(8),
            maxRequests: U256::from(8)
        })
    );
}

/// The proxy admin (dev account 9) upgrades the pool to `implementation` and runs `data` on it.
fn proxy_admin(p: &Pool) -> ERC1967Proxy::ERC1967ProxyInstance<DynProvider> {
    ERC1967Proxy::new(p.address(), p.h.provider.clone())
}

#[tokio::test]
async fn an_upgrade_swaps_every_program_as_one_unit_and_keeps_the_state() {
    let p = Pool::deploy().await;
    let (alice, upgrader) = (p.h.accounts[1], p.h.accounts[9]);
    p.fund_and_admit(alice, metis(100_000)).await;
    p.register(alice, &signer_key(0x21), metis(30_000)).await;
    send!(p.pool.requestWithdrawal(U256::from(1), metis(5_000)).from(alice));
    send!(p.pool.setMaxWithdrawalRequests(5).from(p.admin));
    let upgrader_role = p.pool.UPGRADER_ROLE().call().await.unwrap();
    send!(p.pool.grantRole(upgrader_role, upgrader).from(p.admin));

    // A new release: both programs deployed anew, installed by the upgrade's own call.
    let module = p.h.deploy_artifact("locking-pool-module").await.expect("module");
    let admin_program = p.h.deploy_artifact("locking-pool-admin").await.expect("admin program");
    let delegation = p.h.deploy_artifact("locking-pool-delegation").await.expect("delegation program");
    let entry = p.h.deploy_artifact("locking-pool").await.expect("entry");
    let install = ILockingPool::installProgramsCall { programs: vec![module, admin_program, delegation] }.abi_encode();
    let r = send!(proxy_admin(&p).upgradeToAndCall(entry, install.into()).from(upgrader));
    assert_eq!(
        event::<ERC1967Proxy::Upgraded>(&r, p.address()),
        ERC1967Proxy::Upgraded { implementation: entry }
    );
    let installed: Vec<(U256, Address)> =
        events::<ILockingPool::ProgramInstalled>(&r, p.address()).into_iter().map(|e| (e.index, e.program)).collect();
    assert_eq!(installed, vec![(U256::from(1), module), (U256::from(2), admin_program), (U256::from(3), delegation)]);
    let slot = p.h.provider.get_storage_at(p.address(), IMPLEMENTATION_SLOT.into()).await.unwrap();
    assert_eq!(Address::from_word(slot.into()), entry);
    assert_eq!(p.pool.programs().call().await.unwrap(), vec![module, admin_program, delegation]);

    // The state survived, and both programs serve it.
    assert_eq!(p.pool.totalLocked().call().await.unwrap(), metis(25_000));
    assert_eq!(p.pool.maxWithdrawalRequests().call().await.unwrap(), 5);
    let queue = p.pool.withdrawalQueue(U256::from(1)).call().await.unwrap();
    assert_eq!((queue.nextToClaim, queue.nextRequestId, queue.pending), (0, 1, metis(5_000)));
    send!(p.pool.relock(U256::from(1), metis(1_000), false).from(alice));
    assert_eq!(p.pool.sequencerInfo(U256::from(1)).call().await.unwrap().amount, metis(26_000));
}

#[tokio::test]
async fn an_upgrade_with_a_program_of_another_kind_reverts_whole() {
    let p = Pool::deploy().await;
    let upgrader = p.h.accounts[9];
    let upgrader_role = p.pool.UPGRADER_ROLE().call().await.unwrap();
    send!(p.pool.grantRole(upgrader_role, upgrader).from(p.admin));
    let entry = p.h.deploy_artifact("locking-pool").await.expect("entry");

    // The METIS mock is not the pool's module: the install, and so the upgrade, is refused.
    let install = ILockingPool::installProgramsCall { programs: vec![*p.token.address(), p.admin_program, p.delegation] }.abi_encode();
    let err = proxy_admin(&p)
        .upgradeToAndCall(entry, install.into())
        .from(upgrader)
        .send()
        .await
        .expect_err("the upgrade must revert");
    let reason = match err.as_decoded_interface_error::<ERC1967Proxy::ERC1967ProxyErrors>() {
        Some(ERC1967Proxy::ERC1967ProxyErrors::ProxyInitializationFailed(f)) => f.reason,
        other => panic!("expected ProxyInitializationFailed, got {other:?} from {err:?}"),
    };
    let build = p.pool.dseqProgram().call().await.unwrap().build;
    assert_eq!(
        <PoolError as alloy::sol_types::SolInterface>::abi_decode(&reason).unwrap(),
        PoolError::ProgramMismatch(ILockingPool::ProgramMismatch {
            index: U256::from(1),
            program: *p.token.address(),
            expectedBuild: build,
            build: B256::ZERO,
            answeredIndex: U256::ZERO,
        })
    );
    let slot = p.h.provider.get_storage_at(p.address(), IMPLEMENTATION_SLOT.into()).await.unwrap();
    assert_eq!(Address::from_word(slot.into()), p.implementation);
    assert_eq!(p.pool.programs().call().await.unwrap(), vec![p.module, p.admin_program, p.delegation]);
    assert_eq!(p.pool.maxWithdrawalRequests().call().await.unwrap(), 8);

    // Without the UPGRADER_ROLE the install is refused too, and nothing changes.
    let err = revert!(p.pool.installPrograms(vec![p.module, p.admin_program, p.delegation]).from(p.h.accounts[2]));
    assert_eq!(
        err,
        PoolError::AccessControlUnauthorizedAccount(ILockingPool::AccessControlUnauthorizedAccount {
            account: p.h.accounts[2],
            neededRole: upgrader_role,
        })
    );
}

/// The proof `dseq operator proof` signs is the one the pool checks: a signer key registers
/// with it on a real node, through the proxy.
#[tokio::test]
async fn the_proof_dseq_operator_signs_registers_the_signer() {
    let p = Pool::deploy().await;
    let alice = p.h.accounts[1];
    p.fund_and_admit(alice, metis(100_000)).await;
    let key_hex = "0x0101010101010101010101010101010101010101010101010101010101010101";
    let chain_id = p.h.provider.get_chain_id().await.unwrap();
    let key = dseq_client::proof::parse_key(key_hex).unwrap();
    let proof = dseq_client::proof::sign_proof(&key, alice, p.address(), chain_id).unwrap();
    assert_eq!(proof.digest, p.pool.signerProofDigest(alice).call().await.unwrap());
    send!(p.pool.lockFor(proof.signer, metis(20_000), Bytes::copy_from_slice(&proof.signature)).from(alice));
    assert_eq!(p.pool.seqSigners(proof.signer).call().await.unwrap(), U256::from(1));
    assert_eq!(proof.signer, signer_key(1).address());
}

/// The proxy admin hands the upgrade authority on (as `dseq deploy` hands it to the timelock);
/// nobody else can, zero is refused, and the old admin can no longer upgrade.
#[tokio::test]
async fn the_proxy_admin_hands_upgrades_on_and_keeps_nothing() {
    let p = Pool::deploy().await;
    let (upgrader, next, mallory) = (p.h.accounts[9], p.h.accounts[8], p.h.accounts[5]);
    let proxy = proxy_admin(&p);
    let err = proxy.changeAdmin(mallory).from(mallory).send().await.expect_err("only the admin");
    assert!(matches!(
        err.as_decoded_interface_error::<ERC1967Proxy::ERC1967ProxyErrors>(),
        Some(ERC1967Proxy::ERC1967ProxyErrors::ProxyUnauthorized(e)) if e.caller == mallory
    ));
    let err = proxy.changeAdmin(Address::ZERO).from(upgrader).send().await.expect_err("zero is refused");
    assert!(matches!(
        err.as_decoded_interface_error::<ERC1967Proxy::ERC1967ProxyErrors>(),
        Some(ERC1967Proxy::ERC1967ProxyErrors::ProxyInvalidAdmin(_))
    ));
    let r = send!(proxy.changeAdmin(next).from(upgrader));
    assert_eq!(event::<ERC1967Proxy::AdminChanged>(&r, p.address()), ERC1967Proxy::AdminChanged { previousAdmin: upgrader, newAdmin: next });
    let err = proxy.upgradeToAndCall(p.implementation, Default::default()).from(upgrader).send().await.expect_err("the old admin");
    assert!(matches!(
        err.as_decoded_interface_error::<ERC1967Proxy::ERC1967ProxyErrors>(),
        Some(ERC1967Proxy::ERC1967ProxyErrors::ProxyUnauthorized(e)) if e.caller == upgrader
    ));
    send!(proxy.upgradeToAndCall(p.implementation, Default::default()).from(next));
}

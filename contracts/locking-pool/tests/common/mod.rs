//! A locking-pool deployed in a [`World`] with a METIS mock, an admin (standing in for the
//! timelock), and helpers that perform each step through the real ABI.
#![allow(dead_code)]

use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::SolCall;
use dseq_abi::locking_pool::{ILockingPool, ILockingPool::ILockingPoolErrors, METIS};
use locking_pool::LockingPool;
use stylus_world::{
    keys::Key,
    mocks::{IMockToken, MockRewardSource, MockToken},
    Outcome, Revert, World,
};

pub const POOL: Address = address!("00000000000000000000000000000000000a0001");
pub const METIS_TOKEN: Address = address!("00000000000000000000000000000000000a0002");
pub const DISTRIBUTOR: Address = address!("00000000000000000000000000000000000a0003");
pub const MODULE: Address = address!("00000000000000000000000000000000000a0004");
/// The pool's governance program (program 2).
pub const ADMIN_PROGRAM: Address = address!("00000000000000000000000000000000000a0005");

/// The pool's delegated-stake program (program 3).
pub const DELEGATION_PROGRAM: Address = address!("00000000000000000000000000000000000a0006");

/// The programs `initialize` installs after the entry: the module, the admin and the
/// delegation programs.
pub fn programs() -> Vec<Address> {
    vec![MODULE, ADMIN_PROGRAM, DELEGATION_PROGRAM]
}
pub const ADMIN: Address = address!("00000000000000000000000000000000000ad001");
pub const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
pub const BOB: Address = address!("0000000000000000000000000000000000000b0b");
pub const CAROL: Address = address!("00000000000000000000000000000000000ca201");
pub const MALLORY: Address = address!("000000000000000000000000000000000000bad1");

/// `n` whole METIS.
pub fn metis(n: u64) -> U256 {
    U256::from(n) * METIS
}

pub const DAY: u64 = 24 * 3600;

/// A fresh pool: initialized by ADMIN, METIS mock, a reward source at DISTRIBUTOR (not yet
/// set on the pool), ALICE and BOB admitted and funded with 200k METIS approved to the pool.
pub struct Env {
    pub world: World,
}

impl Env {
    pub fn new() -> Self {
        let env = Self::bare();
        env.send(ADMIN, &ILockingPool::initializeCall { admin: ADMIN, token: METIS_TOKEN, programs: programs() }).unwrap();
        for owner in [ALICE, BOB] {
            env.admit(owner);
            env.fund(owner, metis(200_000));
        }
        env
    }

    /// Contracts placed (the pool, its governance module, METIS, a reward source), the pool not
    /// initialized.
    pub fn bare() -> Self {
        let world = World::new();
        world.deploy(POOL, LockingPool::program_0);
        world.deploy(MODULE, LockingPool::program_1);
        world.deploy(ADMIN_PROGRAM, LockingPool::program_2);
        world.deploy(DELEGATION_PROGRAM, LockingPool::program_3);
        world.deploy_native(METIS_TOKEN, MockToken);
        world.deploy_native(DISTRIBUTOR, MockRewardSource { token: METIS_TOKEN });
        Self { world }
    }

    /// Sends a pool call from `from`.
    pub fn send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, POOL, call)
    }

    /// Sends a pool call expected to fail, and decodes the pool error.
    pub fn fail<C: SolCall>(&self, from: Address, call: &C) -> ILockingPoolErrors {
        self.world.fail(from, POOL, call)
    }

    /// Reads a pool view.
    pub fn view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(POOL, call)
    }

    pub fn admit(&self, owner: Address) {
        self.send(ADMIN, &ILockingPool::setWhitelistCall { user: owner, yes: true }).unwrap();
    }

    /// Mints `amount` METIS to `owner` and approves the pool for all of it.
    pub fn fund(&self, owner: Address, amount: U256) {
        self.world.send(owner, METIS_TOKEN, &IMockToken::mintCall { to: owner, value: amount }).unwrap();
        self.world.send(owner, METIS_TOKEN, &IMockToken::approveCall { spender: POOL, value: U256::MAX }).unwrap();
    }

    pub fn balance(&self, account: Address) -> U256 {
        self.world.view(METIS_TOKEN, &IMockToken::balanceOfCall { account })
    }

    /// A signer key's EIP-712 proof that it serves `owner` in this pool.
    pub fn signature_proof(&self, key: &Key, owner: Address) -> Bytes {
        let digest = self.view(&ILockingPool::signerProofDigestCall { owner });
        Bytes::copy_from_slice(&key.sign(digest))
    }

    /// Registers `owner` with the signer `key` (signature proof) and `amount`; returns the id.
    pub fn register(&self, owner: Address, key: &Key, amount: U256) -> U256 {
        self.send(owner, &lock_call(owner, key, amount)).unwrap().value
    }

    pub fn sequencer(&self, id: U256) -> ILockingPool::sequencerInfoReturn {
        self.view(&ILockingPool::sequencerInfoCall { sequencerId: id })
    }

    pub fn stake(&self, id: U256) -> U256 {
        self.sequencer(id).amount
    }

    pub fn status(&self, id: U256) -> u8 {
        self.sequencer(id).status
    }

    pub fn total_locked(&self) -> U256 {
        self.view(&ILockingPool::totalLockedCall {})
    }

    pub fn total_pending(&self) -> U256 {
        self.view(&ILockingPool::totalPendingWithdrawalsCall {})
    }

    /// The pool's conservation invariant: it holds exactly what it accounts for.
    pub fn assert_conserved(&self) {
        assert_eq!(self.balance(POOL), self.total_locked() + self.total_pending(), "pool balance != locked + pending");
    }

    pub fn warp(&self, seconds: u64) {
        self.world.warp(seconds);
    }

    pub fn now(&self) -> u64 {
        self.world.timestamp()
    }
}

/// The signer proof `key` gives `owner` for the pool at [`POOL`]: its EIP-712 signature of
/// `SignerProof(owner)`, computed here as any wallet would (the pool's `signerProofDigest`
/// view gives the same digest, which a test checks).
pub fn proof(key: &Key, owner: Address) -> Bytes {
    use alloy_sol_types::SolValue;
    use dseq_abi::locking_pool::{EIP712_NAME, EIP712_VERSION, SIGNER_PROOF_TYPEHASH};
    let domain = dseq_kit::eip712::domain_separator(EIP712_NAME, EIP712_VERSION, World::CHAIN_ID, POOL);
    let digest = dseq_kit::eip712::typed_data_digest(
        domain,
        alloy_primitives::keccak256((SIGNER_PROOF_TYPEHASH, owner).abi_encode()),
    );
    Bytes::copy_from_slice(&key.sign(digest))
}

/// `lockFor(key.address(), amount, proof(key, owner))`, to be sent by `owner`.
pub fn lock_call(owner: Address, key: &Key, amount: U256) -> ILockingPool::lockForCall {
    ILockingPool::lockForCall { signer: key.address(), amount, signerProof: proof(key, owner) }
}

pub const ACTIVE: u8 = 2;
pub const INACTIVE: u8 = 1;
pub const UNLOCKED: u8 = 3;
pub const UNAVAILABLE: u8 = 0;

/// `setLockBounds(min_lock, <current maxLock>)`.
pub fn min_lock_call(env: &Env, min_lock: U256) -> ILockingPool::setLockBoundsCall {
    ILockingPool::setLockBoundsCall { minLock: min_lock, maxLock: env.view(&ILockingPool::maxLockCall {}) }
}

/// `setLockBounds(<current minLock>, max_lock)`.
pub fn max_lock_call(env: &Env, max_lock: U256) -> ILockingPool::setLockBoundsCall {
    ILockingPool::setLockBoundsCall { minLock: env.view(&ILockingPool::minLockCall {}), maxLock: max_lock }
}

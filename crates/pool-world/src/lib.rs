//! locking-pool with its four programs, metis-votes counting the pool's stake, and a METIS mock,
//! deployed in a [`World`]: what the tests of every contract built on the pool (the election, the
//! LST registry) start from. locking-pool's own tests set the pool up themselves, piece by
//! piece, since they test that setup.

use alloy_primitives::{keccak256, Address, Bytes, U256};
use alloy_sol_types::SolValue;
use dseq_abi::{
    locking_pool::{ILockingPool, EIP712_NAME, EIP712_VERSION, SIGNER_PROOF_TYPEHASH},
    metis_votes::IMetisVotes,
};
use dseq_kit::eip712;
use locking_pool::LockingPool;
use metis_votes::MetisVotes;
use stylus_world::{
    keys::Key,
    mocks::{IMockToken, MockToken},
    Outcome, Revert, World,
};

/// Where the pool's contracts live in the world.
#[derive(Clone, Copy, Debug)]
pub struct PoolSuite {
    /// The pool (program 0, its entry); programs 1 to 3 follow in `programs`.
    pub pool: Address,
    pub programs: [Address; 3],
    pub votes: Address,
    pub metis: Address,
    /// The pool's admin: every pool role.
    pub admin: Address,
}

impl PoolSuite {
    /// The suite at `0x…{tag}0001` (the pool) to `0x…{tag}0006` (METIS), administered by `admin`.
    pub const fn at(tag: u16, admin: Address) -> Self {
        const fn address(tag: u16, n: u8) -> Address {
            let mut bytes = [0u8; 20];
            let tag = tag.to_be_bytes();
            bytes[16] = tag[0];
            bytes[17] = tag[1];
            bytes[19] = n;
            Address::new(bytes)
        }
        Self {
            pool: address(tag, 1),
            programs: [address(tag, 2), address(tag, 3), address(tag, 4)],
            votes: address(tag, 5),
            metis: address(tag, 6),
            admin,
        }
    }

    /// Deploys and sets up the pool (initialized by the admin, reporting stake to metis-votes),
    /// metis-votes (wrapping METIS, counting the pool's stake) and the METIS mock.
    pub fn deploy(&self, world: &World) {
        world.deploy(self.pool, LockingPool::program_0);
        world.deploy(self.programs[0], LockingPool::program_1);
        world.deploy(self.programs[1], LockingPool::program_2);
        world.deploy(self.programs[2], LockingPool::program_3);
        world.deploy(self.votes, MetisVotes::program_0);
        world.deploy_native(self.metis, MockToken);
        world.send(self.admin, self.votes, &IMetisVotes::initializeCall { underlying: self.metis, stakeSource: self.pool }).unwrap();
        let init = ILockingPool::initializeCall { admin: self.admin, token: self.metis, programs: self.programs.to_vec() };
        world.send(self.admin, self.pool, &init).unwrap();
        world.send(self.admin, self.pool, &ILockingPool::setVotingTokenCall { votes: self.votes }).unwrap();
    }

    /// Mints `amount` METIS to `holder` and approves `spender` for all it will ever hold.
    pub fn mint(&self, world: &World, holder: Address, amount: U256, spender: Address) {
        world.send(holder, self.metis, &IMockToken::mintCall { to: holder, value: amount }).unwrap();
        world.send(holder, self.metis, &IMockToken::approveCall { spender, value: U256::MAX }).unwrap();
    }

    /// The signer proof `key` gives `owner` for this pool, computed as a wallet would.
    pub fn proof(&self, key: &Key, owner: Address) -> Bytes {
        let domain = eip712::domain_separator(EIP712_NAME, EIP712_VERSION, World::CHAIN_ID, self.pool);
        let digest = eip712::typed_data_digest(domain, keccak256((SIGNER_PROOF_TYPEHASH, owner).abi_encode()));
        Bytes::copy_from_slice(&key.sign(digest))
    }

    /// Funds `owner` with `amount` (approved to the pool) and sends its `lockFor` with the node
    /// key `key`; `owner` must be admitted.
    pub fn register(&self, world: &World, owner: Address, key: &Key, amount: U256) -> Result<Outcome<U256>, Revert> {
        self.mint(world, owner, amount, self.pool);
        let call = ILockingPool::lockForCall { signer: key.address(), amount, signerProof: self.proof(key, owner) };
        world.send(owner, self.pool, &call)
    }
}

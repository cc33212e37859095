//! metis-votes through its real ABI in a [`World`]: wrapping, ERC-20, delegation and the
//! checkpoints, signatures (delegation and permit) with their replay and forgery cases, and the
//! pool's stake.

use alloy_primitives::{address, aliases::U48, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use dseq_abi::metis_votes::{IMetisVotes, IMetisVotes::IMetisVotesErrors as E, DELEGATION_TYPEHASH, PERMIT_TYPEHASH};
use dseq_kit::eip712;
use metis_votes::MetisVotes;
use proptest::prelude::*;
use stylus_world::{
    keys::Key,
    mocks::{IMockToken, MockToken},
    Outcome, Revert, World,
};

const VOTES: Address = address!("00000000000000000000000000000000000b0001");
const METIS: Address = address!("00000000000000000000000000000000000b0002");
const POOL: Address = address!("00000000000000000000000000000000000b0003");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const CAROL: Address = address!("00000000000000000000000000000000000ca201");
const DAVE: Address = address!("000000000000000000000000000000000000da7e");
const T0: u64 = 1_000_000;

fn e18(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

struct Env {
    world: World,
    alice: Key,
}

impl Env {
    fn new() -> Self {
        let world = World::new();
        world.set_timestamp(T0);
        world.deploy(VOTES, MetisVotes::program_0);
        world.deploy_native(METIS, MockToken);
        let env = Self { world, alice: Key::from_seed(1) };
        env.send(CAROL, &IMetisVotes::initializeCall { underlying: METIS, stakeSource: POOL }).unwrap();
        for holder in [env.alice(), BOB, CAROL] {
            env.world.send(holder, METIS, &IMockToken::mintCall { to: holder, value: e18(1_000) }).unwrap();
            env.world.send(holder, METIS, &IMockToken::approveCall { spender: VOTES, value: U256::MAX }).unwrap();
        }
        env
    }

    fn alice(&self) -> Address {
        self.alice.address()
    }

    fn send<C: SolCall>(&self, from: Address, call: &C) -> Result<Outcome<C::Return>, Revert> {
        self.world.send(from, VOTES, call)
    }

    fn fail<C: SolCall>(&self, from: Address, call: &C) -> E {
        self.world.fail(from, VOTES, call)
    }

    fn view<C: SolCall>(&self, call: &C) -> C::Return {
        self.world.view(VOTES, call)
    }

    fn wrap(&self, holder: Address, value: U256) {
        self.send(holder, &IMetisVotes::depositForCall { account: holder, value }).unwrap();
    }

    fn delegate(&self, holder: Address, to: Address) {
        self.send(holder, &IMetisVotes::delegateCall { delegatee: to }).unwrap();
    }

    fn votes(&self, account: Address) -> U256 {
        self.view(&IMetisVotes::getVotesCall { account })
    }

    fn past_votes(&self, account: Address, timepoint: u64) -> U256 {
        self.view(&IMetisVotes::getPastVotesCall { account, timepoint: U256::from(timepoint) })
    }

    fn past_total(&self, timepoint: u64) -> U256 {
        self.view(&IMetisVotes::getPastTotalSupplyCall { timepoint: U256::from(timepoint) })
    }

    fn balance(&self, account: Address) -> U256 {
        self.view(&IMetisVotes::balanceOfCall { account })
    }

    fn metis(&self, account: Address) -> U256 {
        self.world.view(METIS, &IMockToken::balanceOfCall { account })
    }

    fn digest(&self, struct_hash: B256) -> B256 {
        self.digest_for(31337, VOTES, struct_hash)
    }

    fn digest_for(&self, chain_id: u64, contract: Address, struct_hash: B256) -> B256 {
        eip712::typed_data_digest(eip712::domain_separator("Metis Votes", "1", chain_id, contract), struct_hash)
    }

    fn delegation_call(&self, key: &Key, delegatee: Address, nonce: u64, expiry: u64, domain: (u64, Address)) -> IMetisVotes::delegateBySigCall {
        let struct_hash = keccak256((DELEGATION_TYPEHASH, delegatee, U256::from(nonce), U256::from(expiry)).abi_encode());
        let sig = key.sign(self.digest_for(domain.0, domain.1, struct_hash));
        IMetisVotes::delegateBySigCall {
            delegatee,
            nonce: U256::from(nonce),
            expiry: U256::from(expiry),
            v: sig[64],
            r: B256::from_slice(&sig[..32]),
            s: B256::from_slice(&sig[32..64]),
        }
    }

    fn move_stake(&self, from: Address, to: Address, amount: U256) -> Result<Outcome<()>, Revert> {
        self.send(POOL, &IMetisVotes::moveStakeCall { from, to, amount }).map(|o| Outcome { value: (), logs: o.logs })
    }
}

/// The events of type `T` that the token itself emitted (METIS's own `Transfer`s excluded).
fn own_events<T: alloy_sol_types::SolEvent>(logs: &[stylus_world::Log]) -> Vec<T> {
    logs.iter().filter(|log| log.address == VOTES).filter_map(|log| log.decode::<T>()).collect()
}

// ---------------------------------------------------------------------------- metadata

#[test]
fn metadata_and_clock() {
    let env = Env::new();
    assert_eq!(env.view(&IMetisVotes::nameCall {}), "Metis Votes");
    assert_eq!(env.view(&IMetisVotes::symbolCall {}), "vMETIS");
    assert_eq!(env.view(&IMetisVotes::decimalsCall {}), 18);
    assert_eq!(env.view(&IMetisVotes::underlyingCall {}), METIS);
    assert_eq!(env.view(&IMetisVotes::stakeSourceCall {}), POOL);
    assert_eq!(env.view(&IMetisVotes::clockCall {}), U48::from(T0));
    assert_eq!(env.view(&IMetisVotes::CLOCK_MODECall {}), "mode=timestamp");
    assert_eq!(env.view(&IMetisVotes::DOMAIN_SEPARATORCall {}), eip712::domain_separator("Metis Votes", "1", 31337, VOTES));
    let domain = env.view(&IMetisVotes::eip712DomainCall {});
    assert_eq!(domain.fields.0, [0x0f]);
    assert_eq!((domain.name.as_str(), domain.version.as_str()), ("Metis Votes", "1"));
    assert_eq!((domain.chainId, domain.verifyingContract), (U256::from(31337), VOTES));
    assert_eq!((domain.salt, domain.extensions.len()), (B256::ZERO, 0));
}

#[test]
fn initialize_runs_once_and_the_implementation_refuses_it() {
    let env = Env::new();
    assert!(matches!(
        env.fail(BOB, &IMetisVotes::initializeCall { underlying: METIS, stakeSource: BOB }),
        E::InvalidInitialization(_)
    ));
    assert_eq!(env.view(&IMetisVotes::stakeSourceCall {}), POOL, "the stake source did not move");

    let world = World::new();
    world.deploy(VOTES, MetisVotes::program_0);
    world.transact(CAROL, VOTES, keccak256(b"stylus_constructor()")[..4].to_vec()).unwrap();
    let err = world.send(BOB, VOTES, &IMetisVotes::initializeCall { underlying: METIS, stakeSource: POOL }).err().expect("expected a revert");
    assert!(matches!(err.decode::<E>(), E::InvalidInitialization(_)));

    let world = World::new();
    world.deploy(VOTES, MetisVotes::program_0);
    for underlying in [Address::ZERO, VOTES] {
        let err = world.send(BOB, VOTES, &IMetisVotes::initializeCall { underlying, stakeSource: POOL }).err().expect("expected a revert");
        assert!(matches!(err.decode::<E>(), E::ERC20InvalidUnderlying(e) if e.token == underlying));
    }
}

// ---------------------------------------------------------------------------- wrapping

#[test]
fn wrap_and_unwrap_move_metis_one_to_one() {
    let env = Env::new();
    let alice = env.alice();
    let out = env.send(alice, &IMetisVotes::depositForCall { account: BOB, value: e18(300) }).unwrap();
    assert!(out.value);
    let transfer = own_events::<IMetisVotes::Transfer>(&out.logs)[0].clone();
    assert_eq!((transfer.from, transfer.to, transfer.value), (Address::ZERO, BOB, e18(300)));
    assert_eq!(env.metis(alice), e18(700));
    assert_eq!(env.metis(VOTES), e18(300));
    assert_eq!(env.balance(BOB), e18(300));
    assert_eq!(env.view(&IMetisVotes::totalSupplyCall {}), e18(300));

    let out = env.send(BOB, &IMetisVotes::withdrawToCall { account: CAROL, value: e18(120) }).unwrap();
    let transfer = own_events::<IMetisVotes::Transfer>(&out.logs)[0].clone();
    assert_eq!((transfer.from, transfer.to, transfer.value), (BOB, Address::ZERO, e18(120)));
    assert_eq!(env.balance(BOB), e18(180));
    assert_eq!(env.metis(CAROL), e18(1_120));
    assert_eq!(env.metis(VOTES), e18(180));
    assert_eq!(env.view(&IMetisVotes::totalSupplyCall {}), e18(180));

    match env.fail(BOB, &IMetisVotes::withdrawToCall { account: BOB, value: e18(181) }) {
        E::ERC20InsufficientBalance(e) => assert_eq!((e.sender, e.balance, e.needed), (BOB, e18(180), e18(181))),
        other => panic!("{other:?}"),
    }
    for account in [Address::ZERO, VOTES] {
        assert!(matches!(env.fail(BOB, &IMetisVotes::withdrawToCall { account, value: e18(1) }), E::ERC20InvalidReceiver(e) if e.receiver == account));
        assert!(matches!(env.fail(BOB, &IMetisVotes::depositForCall { account, value: e18(1) }), E::ERC20InvalidReceiver(e) if e.receiver == account));
    }
    assert!(matches!(
        env.fail(DAVE, &IMetisVotes::depositForCall { account: DAVE, value: e18(1) }),
        E::TokenCallFailed(e) if e.token == METIS
    ), "no METIS approved: the pull fails and nothing is minted");
    assert_eq!(env.balance(DAVE), U256::ZERO);
    assert_eq!(env.metis(VOTES), e18(180), "every failure left the METIS where it was");
}

// ---------------------------------------------------------------------------- ERC-20

#[test]
fn transfers_and_allowances_follow_erc20() {
    let env = Env::new();
    let alice = env.alice();
    env.wrap(alice, e18(100));
    let out = env.send(alice, &IMetisVotes::transferCall { to: BOB, value: e18(40) }).unwrap();
    assert!(out.value);
    assert_eq!((env.balance(alice), env.balance(BOB)), (e18(60), e18(40)));
    assert!(matches!(env.fail(alice, &IMetisVotes::transferCall { to: Address::ZERO, value: e18(1) }), E::ERC20InvalidReceiver(_)));

    let out = env.send(alice, &IMetisVotes::approveCall { spender: CAROL, value: e18(25) }).unwrap();
    let approval = &out.events::<IMetisVotes::Approval>()[0];
    assert_eq!((approval.owner, approval.spender, approval.value), (alice, CAROL, e18(25)));
    let out = env.send(CAROL, &IMetisVotes::transferFromCall { from: alice, to: DAVE, value: e18(10) }).unwrap();
    assert!(out.events::<IMetisVotes::Approval>().is_empty(), "spending an allowance emits no Approval (OpenZeppelin v5)");
    assert_eq!(env.view(&IMetisVotes::allowanceCall { owner: alice, spender: CAROL }), e18(15));
    assert_eq!(env.balance(DAVE), e18(10));
    match env.fail(CAROL, &IMetisVotes::transferFromCall { from: alice, to: DAVE, value: e18(16) }) {
        E::ERC20InsufficientAllowance(e) => assert_eq!((e.spender, e.allowance, e.needed), (CAROL, e18(15), e18(16))),
        other => panic!("{other:?}"),
    }
    env.send(alice, &IMetisVotes::approveCall { spender: CAROL, value: U256::MAX }).unwrap();
    env.send(CAROL, &IMetisVotes::transferFromCall { from: alice, to: DAVE, value: e18(5) }).unwrap();
    assert_eq!(env.view(&IMetisVotes::allowanceCall { owner: alice, spender: CAROL }), U256::MAX, "an infinite allowance is never spent");
    assert!(matches!(env.fail(alice, &IMetisVotes::approveCall { spender: Address::ZERO, value: e18(1) }), E::ERC20InvalidSpender(_)));
}

// ---------------------------------------------------------------------------- votes

#[test]
fn votes_count_once_delegated_and_follow_transfers() {
    let env = Env::new();
    let alice = env.alice();
    env.wrap(alice, e18(100));
    assert_eq!(env.votes(alice), U256::ZERO, "undelegated tokens count for nobody");
    let out = env.send(alice, &IMetisVotes::delegateCall { delegatee: alice }).unwrap();
    let changed = &out.events::<IMetisVotes::DelegateChanged>()[0];
    assert_eq!((changed.delegator, changed.fromDelegate, changed.toDelegate), (alice, Address::ZERO, alice));
    let votes = &out.events::<IMetisVotes::DelegateVotesChanged>()[0];
    assert_eq!((votes.delegate, votes.previousVotes, votes.newVotes), (alice, U256::ZERO, e18(100)));
    assert_eq!(env.votes(alice), e18(100));

    env.world.warp(10);
    env.delegate(BOB, BOB);
    env.send(alice, &IMetisVotes::transferCall { to: BOB, value: e18(30) }).unwrap();
    assert_eq!((env.votes(alice), env.votes(BOB)), (e18(70), e18(30)));
    env.world.warp(10);
    env.delegate(alice, CAROL);
    assert_eq!((env.votes(alice), env.votes(CAROL)), (U256::ZERO, e18(70)));
    assert_eq!(env.view(&IMetisVotes::delegatesCall { account: alice }), CAROL);

    env.world.warp(1);
    // History: alice had 100 from T0, 70 from T0+10, 0 from T0+20.
    assert_eq!(env.past_votes(alice, T0 - 1), U256::ZERO);
    assert_eq!(env.past_votes(alice, T0), e18(100));
    assert_eq!(env.past_votes(alice, T0 + 9), e18(100));
    assert_eq!(env.past_votes(alice, T0 + 10), e18(70));
    assert_eq!(env.past_votes(alice, T0 + 20), U256::ZERO);
    assert_eq!(env.past_votes(CAROL, T0 + 19), U256::ZERO);
    assert_eq!(env.past_votes(CAROL, T0 + 20), e18(70));
    assert_eq!(env.past_total(T0 - 1), U256::ZERO);
    assert_eq!(env.past_total(T0 + 20), e18(100));
    assert_eq!(env.view(&IMetisVotes::numCheckpointsCall { account: alice }), 3);
    let cp = env.view(&IMetisVotes::checkpointsCall { account: alice, pos: 1 });
    assert_eq!((cp._key, cp._value), (U48::from(T0 + 10), alloy_primitives::aliases::U208::from(e18(70))));
}

#[test]
fn lookups_at_or_after_the_clock_are_refused() {
    let env = Env::new();
    for timepoint in [T0, T0 + 1, u64::MAX] {
        match env.fail(BOB, &IMetisVotes::getPastVotesCall { account: BOB, timepoint: U256::from(timepoint) }) {
            E::ERC5805FutureLookup(e) => assert_eq!((e.timepoint, e.clock), (U256::from(timepoint), U48::from(T0))),
            other => panic!("{other:?}"),
        }
        assert!(matches!(env.fail(BOB, &IMetisVotes::getPastTotalSupplyCall { timepoint: U256::from(timepoint) }), E::ERC5805FutureLookup(_)));
    }
    assert!(matches!(env.fail(BOB, &IMetisVotes::getPastTotalSupplyCall { timepoint: U256::MAX }), E::ERC5805FutureLookup(_)));
}

#[test]
fn same_timestamp_changes_leave_one_checkpoint_and_cannot_flash_vote() {
    let env = Env::new();
    let alice = env.alice();
    env.delegate(alice, alice);
    // A flash deposit: wrap, and unwrap in the same second.
    env.wrap(alice, e18(500));
    env.wrap(alice, e18(100));
    env.send(alice, &IMetisVotes::withdrawToCall { account: alice, value: e18(600) }).unwrap();
    assert_eq!(env.view(&IMetisVotes::numCheckpointsCall { account: alice }), 1, "three changes at T0, one checkpoint");
    env.world.warp(1);
    assert_eq!(env.past_votes(alice, T0), U256::ZERO, "the flash deposit left no votes at T0");
    assert_eq!(env.past_total(T0), U256::ZERO);
}

#[test]
fn votes_after_a_transfer_stay_with_the_snapshot() {
    let env = Env::new();
    let alice = env.alice();
    env.wrap(alice, e18(100));
    env.delegate(alice, alice);
    env.delegate(BOB, BOB);
    env.world.warp(5);
    let snapshot = T0 + 4;
    // After the snapshot, alice passes her tokens to Bob and re-delegates.
    env.send(alice, &IMetisVotes::transferCall { to: BOB, value: e18(100) }).unwrap();
    env.delegate(alice, BOB);
    env.world.warp(5);
    assert_eq!(env.past_votes(alice, snapshot), e18(100));
    assert_eq!(env.past_votes(BOB, snapshot), U256::ZERO, "the moved tokens carry no weight at the snapshot");
    assert_eq!(env.votes(BOB), e18(100));
}

// ---------------------------------------------------------------------------- signatures

#[test]
fn delegation_by_signature_works_once() {
    let env = Env::new();
    let alice = env.alice();
    env.wrap(alice, e18(100));
    let call = env.delegation_call(&env.alice, BOB, 0, T0 + 60, (31337, VOTES));
    let out = env.send(DAVE, &call).unwrap();
    let changed = &out.events::<IMetisVotes::DelegateChanged>()[0];
    assert_eq!((changed.delegator, changed.toDelegate), (alice, BOB), "the signer delegates, not the relayer");
    assert_eq!(env.votes(BOB), e18(100));
    assert_eq!(env.view(&IMetisVotes::noncesCall { owner: alice }), U256::from(1));

    match env.fail(DAVE, &call) {
        E::InvalidAccountNonce(e) => assert_eq!((e.account, e.currentNonce), (alice, U256::from(1))),
        other => panic!("replay: {other:?}"),
    }
}

#[test]
fn delegation_signatures_that_must_fail() {
    let env = Env::new();
    let alice = env.alice();
    env.wrap(alice, e18(100));

    let expired = env.delegation_call(&env.alice, BOB, 0, T0 - 1, (31337, VOTES));
    assert!(matches!(env.fail(DAVE, &expired), E::VotesExpiredSignature(e) if e.expiry == U256::from(T0 - 1)));

    let skipped = env.delegation_call(&env.alice, BOB, 1, T0 + 60, (31337, VOTES));
    assert!(matches!(env.fail(DAVE, &skipped), E::InvalidAccountNonce(e) if e.account == alice && e.currentNonce.is_zero()));

    // Signed for another chain or another contract: it recovers to some other address, so it
    // can never move alice's votes.
    for domain in [(1u64, VOTES), (31337, POOL)] {
        let foreign = env.delegation_call(&env.alice, BOB, 0, T0 + 60, domain);
        let _ = env.send(DAVE, &foreign);
        assert_eq!(env.view(&IMetisVotes::delegatesCall { account: alice }), Address::ZERO);
    }

    // The malleable twin (n - s, flipped v) of a valid signature.
    let valid = env.delegation_call(&env.alice, BOB, 0, T0 + 60, (31337, VOTES));
    let n = U256::from_be_bytes(alloy_primitives::hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
    let twin = IMetisVotes::delegateBySigCall {
        s: B256::from(n - U256::from_be_bytes(valid.s.0)),
        v: if valid.v == 27 { 28 } else { 27 },
        ..valid.clone()
    };
    assert!(matches!(env.fail(DAVE, &twin), E::ECDSAInvalidSignatureS(_)));
    for v in [0u8, 1, 29] {
        assert!(matches!(env.fail(DAVE, &IMetisVotes::delegateBySigCall { v, ..valid.clone() }), E::ECDSAInvalidSignature(_)));
    }
    assert_eq!(env.view(&IMetisVotes::noncesCall { owner: alice }), U256::ZERO, "no failure used the nonce");
    env.send(DAVE, &valid).unwrap();
    assert_eq!(env.votes(BOB), e18(100));
}

#[test]
fn permit_approves_once_before_its_deadline() {
    let env = Env::new();
    let alice = env.alice();
    let permit = |nonce: u64, deadline: u64| {
        let struct_hash = keccak256((PERMIT_TYPEHASH, alice, CAROL, e18(7), U256::from(nonce), U256::from(deadline)).abi_encode());
        let sig = env.alice.sign(env.digest(struct_hash));
        IMetisVotes::permitCall {
            owner: alice,
            spender: CAROL,
            value: e18(7),
            deadline: U256::from(deadline),
            v: sig[64],
            r: B256::from_slice(&sig[..32]),
            s: B256::from_slice(&sig[32..64]),
        }
    };
    let call = permit(0, T0);
    let out = env.send(DAVE, &call).unwrap();
    assert_eq!(out.events::<IMetisVotes::Approval>()[0].value, e18(7));
    assert_eq!(env.view(&IMetisVotes::allowanceCall { owner: alice, spender: CAROL }), e18(7));
    assert!(matches!(env.fail(DAVE, &call), E::ERC2612InvalidSigner(e) if e.owner == alice && e.signer != alice), "replay");
    assert!(matches!(env.fail(DAVE, &permit(1, T0 - 1)), E::ERC2612ExpiredSignature(_)));
    env.send(DAVE, &permit(1, T0 + 1)).unwrap();
    assert_eq!(env.view(&IMetisVotes::noncesCall { owner: alice }), U256::from(2), "permits and delegations share the nonce");
}

// ---------------------------------------------------------------------------- stake

#[test]
fn locked_stake_votes_for_its_owner() {
    let env = Env::new();
    let alice = env.alice();
    env.wrap(alice, e18(100));
    let out = env.move_stake(Address::ZERO, alice, e18(20_000)).unwrap();
    let moved = &out.events::<IMetisVotes::StakeMoved>()[0];
    assert_eq!((moved.from, moved.to, moved.amount), (Address::ZERO, alice, e18(20_000)));
    assert_eq!(env.view(&IMetisVotes::delegatesCall { account: alice }), alice, "an operator with no delegate is self-delegated");
    assert_eq!(env.votes(alice), e18(20_100), "stake plus the wrapped balance, now delegated");
    assert_eq!(env.view(&IMetisVotes::stakeOfCall { owner: alice }), e18(20_000));
    assert_eq!(env.view(&IMetisVotes::totalSupplyCall {}), e18(100), "the ERC-20 supply is wrapped METIS only");

    env.world.warp(10);
    env.delegate(alice, CAROL);
    assert_eq!(env.votes(CAROL), e18(20_100), "stake follows the owner's delegation");
    env.world.warp(10);
    // A withdrawal request leaves the stake at once.
    env.move_stake(alice, Address::ZERO, e18(5_000)).unwrap();
    assert_eq!(env.votes(CAROL), e18(15_100));
    // An owner transfer moves it.
    env.move_stake(alice, BOB, e18(15_000)).unwrap();
    assert_eq!((env.votes(CAROL), env.votes(BOB)), (e18(100), e18(15_000)));
    env.world.warp(1);
    assert_eq!(env.past_total(T0), e18(20_100));
    assert_eq!(env.past_total(T0 + 20), e18(15_100));
    assert_eq!(env.past_votes(CAROL, T0 + 19), e18(20_100));

    match env.move_stake(BOB, Address::ZERO, e18(15_001)).unwrap_err().decode::<E>() {
        E::InsufficientStake(e) => assert_eq!((e.owner, e.stake, e.needed), (BOB, e18(15_000), e18(15_001))),
        other => panic!("{other:?}"),
    }
    for caller in [alice, BOB, VOTES] {
        match env.fail(caller, &IMetisVotes::moveStakeCall { from: Address::ZERO, to: caller, amount: e18(1) }) {
            E::NotStakeSource(e) => assert_eq!(e.caller, caller),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_token_without_a_pool_refuses_every_stake_report() {
    let world = World::new();
    world.deploy(VOTES, MetisVotes::program_0);
    world.deploy_native(METIS, MockToken);
    world.send(CAROL, VOTES, &IMetisVotes::initializeCall { underlying: METIS, stakeSource: Address::ZERO }).unwrap();
    let err = world.send(Address::ZERO, VOTES, &IMetisVotes::moveStakeCall { from: Address::ZERO, to: BOB, amount: e18(1) }).err().expect("expected a revert");
    assert!(matches!(err.decode::<E>(), E::NotStakeSource(_)));
}

#[test]
fn voting_units_are_capped_at_uint160_and_stake_at_uint96() {
    let env = Env::new();
    let cap = (U256::from(1) << 160) - U256::from(1);
    env.world.send(CAROL, METIS, &IMockToken::mintCall { to: CAROL, value: cap }).unwrap();
    env.wrap(CAROL, cap - e18(1));
    env.wrap(CAROL, e18(1));
    match env.fail(CAROL, &IMetisVotes::depositForCall { account: CAROL, value: U256::from(1) }) {
        E::ERC20ExceededSafeSupply(e) => assert_eq!((e.increasedSupply, e.cap), (cap + U256::from(1), cap)),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.metis(VOTES), cap, "the refused deposit pulled nothing");

    let env = Env::new();
    let stake_cap = (U256::from(1) << 96) - U256::from(1);
    assert_eq!(metis_votes::MAX_STAKE, stake_cap);
    env.move_stake(Address::ZERO, BOB, stake_cap).unwrap();
    match env.move_stake(Address::ZERO, BOB, U256::from(1)).err().expect("expected a revert").decode::<E>() {
        E::ERC20ExceededSafeSupply(e) => assert_eq!((e.increasedSupply, e.cap), (stake_cap + U256::from(1), stake_cap)),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.votes(BOB), stake_cap);
}

#[test]
fn storage_layout_matches_the_committed_file() {
    let committed = include_str!("../storage-layout.txt");
    if metis_votes::STORAGE_LAYOUT != committed {
        panic!(
            "metis-votes' storage layout changed. It lives behind a proxy, so fields may only be \
             appended; if that is what changed, write this into contracts/metis-votes/storage-layout.txt:\n{}",
            metis_votes::STORAGE_LAYOUT
        );
    }
}

// ---------------------------------------------------------------------------- invariant

#[derive(Clone, Debug)]
enum Op {
    Wrap(usize, u64),
    Unwrap(usize, u64),
    Transfer(usize, usize, u64),
    Delegate(usize, usize),
    Stake(usize, u64),
    Unstake(usize, u64),
    Warp(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 1..500u64).prop_map(|(a, v)| Op::Wrap(a, v)),
        (0..4usize, 1..500u64).prop_map(|(a, v)| Op::Unwrap(a, v)),
        (0..4usize, 0..4usize, 1..500u64).prop_map(|(a, b, v)| Op::Transfer(a, b, v)),
        (0..4usize, 0..5usize).prop_map(|(a, b)| Op::Delegate(a, b)),
        (0..4usize, 1..500u64).prop_map(|(a, v)| Op::Stake(a, v)),
        (0..4usize, 1..500u64).prop_map(|(a, v)| Op::Unstake(a, v)),
        (0..3u64).prop_map(Op::Warp),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// After any sequence: the total equals every holder's units; each delegate's votes equal
    /// the units of its delegators; the METIS held equals the supply.
    #[test]
    fn votes_always_add_up(ops in proptest::collection::vec(op(), 1..40)) {
        let env = Env::new();
        let holders = [env.alice(), BOB, CAROL, DAVE];
        env.world.send(DAVE, METIS, &IMockToken::mintCall { to: DAVE, value: e18(1_000) }).unwrap();
        env.world.send(DAVE, METIS, &IMockToken::approveCall { spender: VOTES, value: U256::MAX }).unwrap();
        let delegatee = |i: usize| if i == 4 { Address::ZERO } else { holders[i] };
        for op in ops {
            let _ = match op {
                Op::Wrap(a, v) => env.send(holders[a], &IMetisVotes::depositForCall { account: holders[a], value: e18(v) }).map(|_| ()),
                Op::Unwrap(a, v) => env.send(holders[a], &IMetisVotes::withdrawToCall { account: holders[a], value: e18(v) }).map(|_| ()),
                Op::Transfer(a, b, v) => env.send(holders[a], &IMetisVotes::transferCall { to: holders[b], value: e18(v) }).map(|_| ()),
                Op::Delegate(a, b) => env.send(holders[a], &IMetisVotes::delegateCall { delegatee: delegatee(b) }).map(|_| ()),
                Op::Stake(a, v) => env.move_stake(Address::ZERO, holders[a], e18(v)).map(|_| ()),
                Op::Unstake(a, v) => env.move_stake(holders[a], Address::ZERO, e18(v)).map(|_| ()),
                Op::Warp(s) => { env.world.warp(s); Ok(()) }
            };
        }
        let units = |h: Address| env.balance(h) + env.view(&IMetisVotes::stakeOfCall { owner: h });
        let total: U256 = holders.iter().map(|h| units(*h)).sum();
        env.world.warp(1);
        prop_assert_eq!(env.past_total(env.world.timestamp() - 1), total);
        for d in holders {
            let delegated: U256 = holders.iter().filter(|h| env.view(&IMetisVotes::delegatesCall { account: **h }) == d).map(|h| units(*h)).sum();
            prop_assert_eq!(env.votes(d), delegated);
        }
        prop_assert_eq!(env.metis(VOTES), env.view(&IMetisVotes::totalSupplyCall {}));
    }
}

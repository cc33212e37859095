//! `dseq demo`: a season of the suite on the embedded devnode, told in words a holder
//! understands, ending with the balances that prove nothing was lost.
//!
//! Every step goes through the same client the CLI and the bench use: the deploy is
//! `dseq deploy`'s, the operator actions are `dseq operator`'s.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Result};
use dseq_client::alloy::primitives::{Address, B256, U256};
use dseq_client::bindings::{ILockingPool, IERC20};
use dseq_client::deploy::{self, DeployConfig, RecordOptions};
use dseq_client::pool::Pool;
use dseq_client::election::Election;
use dseq_client::alloy::providers::ext::AnvilApi;
use dseq_client::governance::{Action, Governance};
use dseq_client::lst::{Lsts, Unpairing};
use dseq_client::rewards::Rewards;
use dseq_client::units::format_bps;
use dseq_client::votes::Votes;
use dseq_client::units::{format_duration, format_gas, format_metis, format_time};
use k256::ecdsa::SigningKey;

use crate::lst_vault::IMockLstVault;

/// One operator of the story.
struct Operator {
    name: &'static str,
    account: Address,
    signer: SigningKey,
}

/// What the demo proved, for tests.
#[derive(Debug)]
pub struct DemoReport {
    /// Every operator's METIS: wallet + stake + queued = what it was given.
    pub conserved: bool,
    /// The pool's balance equals locked + queued.
    pub pool_balanced: bool,
    pub seconds: f64,
}

fn metis(n: u64) -> U256 {
    U256::from(n) * dseq_abi::locking_pool::METIS
}

/// A deterministic signer key for the story (the n-th sequencer node's key).
fn node_key(n: u8) -> SigningKey {
    SigningKey::from_slice(B256::repeat_byte(0x40 + n).as_slice()).expect("valid key")
}

dseq_client::alloy::sol! {
    /// What version 2 of the pool adds (`[package.metadata.dseq] variants` of locking-pool).
    #[sol(rpc)]
    interface ILockingPoolV2 {
        function stakeOf(address owner) external view returns (uint256);
    }
}

/// A deterministic account key for the story's people beyond the dev accounts.
fn story_key(byte: u8) -> dseq_client::alloy::signers::local::PrivateKeySigner {
    dseq_client::alloy::signers::local::PrivateKeySigner::from_bytes(&B256::repeat_byte(byte)).expect("valid key")
}

/// The first bytes of a build id, enough to tell two apart.
fn short(build: B256) -> String {
    format!("{}…", &build.to_string()[..10])
}

fn chapter(title: &str) {
    println!("\n== {title}");
}

/// Runs the demo on a fresh in-process devnode.
pub async fn run(root: &Path, skip_build: bool, serve: Option<u16>) -> Result<DemoReport> {
    let started = Instant::now();
    println!("dseq demo: a season of sequencer staking on a local Stylus chain");
    let artifacts = crate::session::artifacts(root, skip_build, false)?;
    let v2_artifacts = crate::session::variant_artifacts(root, &artifacts, "v2", skip_build)?;
    // Three more people than anvil's ten dev accounts: Ivan runs a liquid-staking vault, Judy
    // and Ken hold its shares.
    let (node, client) = crate::session::embedded_chain([0x71u8, 0x72, 0x73].map(story_key).to_vec()).await?;
    println!("The chain: the dseq devnode at {} (chain id {}), Stylus programs run in wasmi, EVM code in revm.", node.url(), client.chain_id);

    chapter("1. Deploying the suite");
    // The election holds the pool's ADMISSION_ROLE (the default); its windows are short enough
    // for a story (a day to apply, five to vote as on Metis's Snapshot, a day of vetting) and
    // its bar fits three holders: 25,000 METIS of quorum, 3 voters, 80% approval, 3 seats.
    let day = 24 * 3600;
    let config = DeployConfig {
        election_application_period: Some(day),
        election_voting_period: Some(5 * day),
        election_vetting_period: Some(day),
        election_cadence: Some(30 * day),
        election_min_voters: Some(3),
        election_quorum: Some("25000".into()),
        ..DeployConfig::default()
    };
    let (d, _) = deploy::deploy(&client, &artifacts, &config, &RecordOptions::default(), &mut |p| {
        println!("   {:<32} {:>6.2} s  {}", p.step, p.seconds, p.detail);
    })
    .await?;
    let pool = Pool::of(&client, &d)?;
    let token = IERC20::new(pool.token, client.provider.clone());
    println!("   The pool lives at {} behind its proxy; its METIS is a mock at {}.", pool.address, pool.token);

    let mallory = client.accounts[4];
    let ops = [
        Operator { name: "Alice", account: client.accounts[1], signer: node_key(1) },
        Operator { name: "Bob", account: client.accounts[2], signer: node_key(2) },
        Operator { name: "Carol", account: client.accounts[3], signer: node_key(3) },
    ];
    let given = metis(100_000);
    for op in &ops {
        client.send_call(op.account, pool.token, &IERC20::mintCall { to: op.account, value: given }).await?;
    }
    client.send_call(mallory, pool.token, &IERC20::mintCall { to: mallory, value: given }).await?;

    chapter("2. The election");
    let election = Election::of(&client, &d)?;
    let votes = Votes::of(&client, &d)?;
    let (round, r) = election.open(mallory).await?;
    let opened = election.round(round).await?;
    println!(
        "   Round {round} is due, so anyone may open it (gas {}): applications until {}, voting until {}, vetting until {}.",
        format_gas(r.gas_used),
        format_time(opened.voting_start),
        format_time(opened.voting_end),
        format_time(opened.vetting_end)
    );
    let voters = [("Frank", client.accounts[7], 30_000u64), ("Grace", client.accounts[8], 20_000), ("Heidi", client.accounts[9], 10_000)];
    for (name, account, amount) in voters {
        client.send_call(account, pool.token, &IERC20::mintCall { to: account, value: metis(amount) }).await?;
        votes.wrap(account, metis(amount)).await?;
        votes.delegate(account, account).await?;
        println!("   {name} wraps {} METIS into votes and self-delegates before voting opens.", format_metis(metis(amount)));
    }
    let copied = dseq_client::election::candidacy_digest(round, ops[0].account, election.address, client.chain_id);
    let copied = dseq_client::proof::sign_digest(&ops[0].signer, copied)?;
    let call = dseq_client::bindings::ISequencerElection::applyAsCandidateCall {
        roundId: round,
        signer: Address::from_public_key(ops[0].signer.verifying_key()),
        metadataURI: String::new(),
        signerProof: copied.to_vec().into(),
    };
    let err = client.send_call(mallory, election.address, &call).await.expect_err("a copied candidacy proof is refused");
    println!("   Mallory copies the candidacy Alice's node signed for Alice and applies with it first: the election {err}.");
    let candidates = [
        ("Alice", ops[0].account, &ops[0].signer),
        ("Bob", ops[1].account, &ops[1].signer),
        ("Carol", ops[2].account, &ops[2].signer),
        ("Mallory", mallory, &node_key(9)),
    ];
    for (name, account, key) in candidates {
        let uri = format!("https://forum.example/sequencers/{}", name.to_lowercase());
        let r = election.apply(account, key, round, &uri).await?;
        println!("   {name} applies, the node key proving it serves {name} ({uri}; gas {}).", format_gas(r.gas_used));
    }
    client.warp(opened.voting_start.saturating_sub(now(&client).await?) + 1).await?;
    let (frank, grace, heidi) = (voters[0].1, voters[1].1, voters[2].1);
    let (alice, bob, carol) = (ops[0].account, ops[1].account, ops[2].account);
    let ballots: [(&str, Address, Vec<(Address, u8)>); 2] = [
        ("Frank", frank, vec![(alice, 1), (bob, 1), (carol, 1), (mallory, 2)]),
        ("Grace", grace, vec![(alice, 1), (bob, 1), (carol, 2), (mallory, 2)]),
    ];
    for (name, voter, list) in &ballots {
        let (weight, r) = election.vote_many(*voter, round, list).await?;
        let said: Vec<String> = list
            .iter()
            .map(|(c, s)| format!("{} {}", dseq_client::governance::SUPPORT_NAMES[*s as usize], candidates.iter().find(|x| x.1 == *c).map(|x| x.0).unwrap_or("?")))
            .collect();
        println!("   {name} votes {} with {} votes each, in one transaction (gas {}).", said.join(", "), format_metis(weight), format_gas(r.gas_used));
    }
    let (weight, r) = election.vote(heidi, round, alice, 1).await?;
    println!("   Heidi votes for Alice with {} votes (gas {}).", format_metis(weight), format_gas(r.gas_used));
    let heidi_key = crate::session::dev_signers()[9].credential().clone();
    for (candidate, support, label) in [(bob, 0u8, "against Bob"), (carol, 1, "for Carol"), (mallory, 1, "for Mallory")] {
        let ballot = election.ballot(heidi, round, candidate, support).await?;
        let signature = election.sign(&ballot, &heidi_key)?;
        let (_, r) = election.submit_vote(frank, round, candidate, support, heidi, &signature).await?;
        println!("   Heidi signs a ballot {label} in her wallet (EIP-712, no gas) and Frank relays it (gas {}).", format_gas(r.gas_used));
        if candidate == mallory {
            let replay = election.submit_vote(frank, round, candidate, support, heidi, &signature).await.unwrap_err();
            println!("   Frank replays it: {}.", replay.root_cause());
        }
    }
    let dave = client.accounts[5];
    client.send_call(dave, pool.token, &IERC20::mintCall { to: dave, value: metis(12_000) }).await?;
    votes.wrap(dave, metis(12_000)).await?;
    votes.delegate(dave, dave).await?;
    let err = election.vote(dave, round, alice, 1).await.unwrap_err();
    println!("   Dave wraps and delegates only now and tries to vote: {} (votes weigh as they stood when voting opened).", err.root_cause());
    let view = election.round(round).await?;
    client.warp(view.vetting_end.saturating_sub(now(&client).await?) + 1).await?;
    let (seats, r) = election.finalize(mallory, round).await?;
    println!("   Voting and vetting are over; anyone finalizes the round (gas {}):", format_gas(r.gas_used));
    let view = election.round(round).await?;
    for c in &view.candidates {
        let name = candidates.iter().find(|x| x.1 == c.operator).map(|x| x.0).unwrap_or("?");
        let approval = c.approval_permille().map_or(0, |p| p / 10);
        println!(
            "     {name:<8} for {:>7} against {:>7} abstain {:>7} METIS, {} voters, {approval}% approval: {}",
            format_metis(c.votes_for),
            format_metis(c.against),
            format_metis(c.abstain),
            c.voters,
            dseq_abi::election::status::name(c.status)
        );
    }
    println!(
        "   The top {} by votes for are admitted to the pool; Mallory qualified but ranks fourth of three seats.",
        seats.len()
    );

    chapter("3. Registration");
    for (op, stake) in ops.iter().zip([30_000, 40_000, 25_000]) {
        let (id, r) = pool.register(op.account, &op.signer, metis(stake), None).await?;
        let signer = Address::from_public_key(op.signer.verifying_key());
        println!(
            "   {} locks {} METIS and runs sequencer {id}; its node's key {signer} signed a proof that it serves {} (gas {}).",
            op.name,
            format_metis(metis(stake)),
            op.name,
            format_gas(r.gas_used)
        );
    }
    pool.ensure_funds(mallory, metis(30_000)).await?;
    let own = dseq_client::proof::sign_proof(&node_key(9), mallory, pool.address, client.chain_id)?;
    let call = ILockingPool::lockForCall { signer: own.signer, amount: metis(30_000), signerProof: own.signature.to_vec().into() };
    let err = client.send_call(mallory, pool.address, &call).await.expect_err("an unelected owner cannot register");
    println!("   Mallory, not elected, tries to register anyway: the pool {err}.");

    chapter("4. Growing the stake");
    let r = pool.relock(ops[0].account, metis(10_000), false).await?;
    println!("   Alice adds 10,000 METIS: her stake is now {} METIS (gas {}).", format_metis(pool.sequencer(U256::from(1)).await?.amount), format_gas(r.gas_used));
    let rewards = Rewards::of(&client, &d)?;
    let (_, next, effective, r) = rewards.set_commission(ops[0].account, 1_000).await?;
    println!(
        "   She sets her commission to {}: her cut of what a liquid-staking partner's stake earns in her sequencer (gas {}).\n   \
         It takes effect {}, {} from now: a commission can never be raised just before a batch.",
        format_bps(next),
        format_gas(r.gas_used),
        format_time(effective),
        format_duration(effective.saturating_sub(now(&client).await?))
    );

    chapter("5. Partial withdrawals");
    let delay = ILockingPool::new(pool.address, client.provider.clone()).exitDelayPeriod().call().await?.to::<u64>();
    for amount in [5_000, 3_000] {
        let (request, at, r) = pool.request_withdrawal(ops[1].account, metis(amount)).await?;
        println!(
            "   Bob asks for {} METIS back (request #{request}): it leaves his stake now and is his to claim in {} ({}; gas {}).",
            format_metis(metis(amount)),
            format_duration(delay),
            format_time(at),
            format_gas(r.gas_used)
        );
    }
    let err = pool.claim(ops[1].account).await.unwrap_err();
    println!("   Bob tries to claim at once: {err}.");

    chapter("6. An exit");
    let (claim_at, _) = pool.exit(ops[2].account).await?;
    println!("   Carol stops her sequencer: it stops counting at once, and her 25,000 METIS are claimable from {}.", format_time(claim_at));

    chapter("7. Voting power");
    let erin = client.accounts[6];
    let holders = [("Dave", dave, 12_000u64), ("Erin", erin, 8_000u64), ("Frank", frank, 30_000), ("Grace", grace, 20_000), ("Heidi", heidi, 10_000)];
    client.send_call(erin, pool.token, &IERC20::mintCall { to: erin, value: metis(8_000) }).await?;
    let receipts = votes.wrap(erin, metis(8_000)).await?;
    println!(
        "   Erin wraps 8,000 METIS into votes (vMETIS, 1:1; gas {} with the approval).",
        format_gas(receipts.iter().map(|r| r.gas_used).sum())
    );
    println!("   Wrapped METIS counts for nobody until it is delegated: Erin has {} votes.", format_metis(votes.view(erin).await?.votes));
    println!("   Dave delegated to himself by transaction in the election chapter: {} votes.", format_metis(votes.view(dave).await?.votes));
    let delegation = votes.delegation(erin, dave, 24 * 3600).await?;
    let signature = votes.sign(&delegation, crate::session::dev_signers()[6].credential())?;
    let (_, r) = votes.submit_delegation(bob, dave, delegation.nonce, delegation.expiry, &signature).await?;
    println!(
        "   Erin signs a delegation to Dave in her wallet (EIP-712, no gas) and Bob relays it (gas {}): Dave now votes {} METIS.",
        format_gas(r.gas_used),
        format_metis(votes.view(dave).await?.votes)
    );
    let replay = votes.submit_delegation(ops[1].account, dave, delegation.nonce, delegation.expiry, &signature).await.unwrap_err();
    println!("   Bob replays Erin's signature: {}.", replay.root_cause());
    println!("   Locked METIS votes for its operator, with no transaction: what is locked now, nothing queued or exiting.");
    println!("   {:<6} {:>12} {:>12} {:>12}", "", "staked", "wrapped", "votes");
    for (name, account) in ops.iter().map(|o| (o.name, o.account)).chain(holders.iter().map(|h| (h.0, h.1))) {
        let v = votes.view(account).await?;
        println!("   {:<6} {:>12} {:>12} {:>12}", name, format_metis(v.stake), format_metis(v.wrapped), format_metis(v.votes));
    }

    chapter("8. A proposal");
    let gov = Governance::of(&client, &d)?;
    let p = ILockingPool::new(pool.address, client.provider.clone());
    let v2 = ILockingPoolV2::new(pool.address, client.provider.clone());
    let (max_lock, timelock) = (p.maxLock().call().await?, gov.timelock);
    let build_before = p.dseqProgram().call().await?.build;
    let refused = v2.stakeOf(ops[0].account).call().await.is_err();
    let (upgrade, programs) = gov.upgrade_action(dave, &d, &v2_artifacts, "locking-pool").await?;
    println!(
        "   Dave deploys version 2 of the pool's four programs, which adds one view, stakeOf(owner): entry {}.\n   \
         Deploying is open to anyone and changes nothing: the pool {} stakeOf, and only a passed proposal can point it at them.",
        programs[0],
        if refused { "still has no" } else { "ALREADY HAS" }
    );
    let (ivan, judy, ken) = (client.accounts[10], client.accounts[11], client.accounts[12]);
    for who in [ivan, judy, ken] {
        client.provider.anvil_set_balance(who, U256::from(10u64).pow(U256::from(20))).await?;
    }
    let lsts = Lsts::of(&client, &d)?;
    let vault = crate::lst_vault::deploy(&client, &artifacts, &d, ivan, ivan).await?;
    let v = IMockLstVault::new(vault, client.provider.clone());
    let err = client.send_call(ivan, vault, &IMockLstVault::offerPairingCall { sequencerId: U256::from(1) }).await.unwrap_err();
    println!(
        "   Ivan deploys a liquid-staking vault (a Solidity mock of Artemis's or Enki's) at {vault} and offers it to Alice's\n   \
         sequencer: the registry {err}: only governance admits an LST."
    );
    let (lst_name, lst_cap) = ("stMETIS vault", metis(100_000));
    let actions = vec![
        Action::call(pool.address, "acceptDefaultAdminTransfer()", &[])?,
        Action::call(pool.address, "setLockBounds(uint256,uint256)", &[metis(25_000).to_string(), max_lock.to_string()])?,
        upgrade,
        lsts.approve_action(vault, lst_name, lst_cap).await?,
    ];
    let description = "Raise the minimum stake to 25,000 METIS, upgrade the pool to version 2, approve Ivan's vault\n\n\
        The timelock accepts the pool's admin role the deployer offered, sets the new bound, swaps in the \
        programs of version 2 (one more view, stakeOf) as one unit, and approves the stMETIS vault as an LST \
        with a cap of 100,000 METIS.";
    client.warp(3600).await?;
    let (proposal, r) = gov.propose(dave, actions, description).await?;
    let id = proposal.id;
    println!(
        "   Dave (20,000 votes, more than the 1,000 a proposal needs) proposes, as one proposal of four calls, to let the timelock\n   \
         take the pool's admin role the deployer offered it, raise the minimum stake to 25,000 METIS, upgrade the pool\n   \
         and approve Ivan's vault as an LST (gas {}).",
        format_gas(r.gas_used)
    );
    println!("   Voting opens {} and closes {}: votes count as they stood at the opening.", format_time(proposal.vote_start), format_time(proposal.vote_end));
    let err = gov.vote(dave, id, 1, None).await.unwrap_err();
    println!("   Dave tries to vote at once: {}.", err.root_cause());
    client.warp(proposal.vote_start.saturating_sub(now(&client).await?) + 1).await?;
    let (weight, r) = gov.vote(ops[0].account, id, 1, Some("more skin in the game")).await?;
    println!("   A day later Alice votes for, with her locked stake: {} votes (gas {}).", format_metis(weight), format_gas(r.gas_used));
    let (weight, _) = gov.vote(dave, id, 1, None).await?;
    println!("   Dave votes for with his own and Erin's delegated METIS: {} votes.", format_metis(weight));
    let ballot = gov.ballot(ops[1].account, id, 0).await?;
    let signature = gov.sign(&ballot, crate::session::dev_signers()[2].credential())?;
    let (weight, r) = gov.submit_vote(erin, id, 0, ops[1].account, &signature).await?;
    println!(
        "   Bob signs a vote against in his wallet and Erin relays it (gas {}): {} votes, not 40,000: the 8,000 he asked to withdraw left his votes with his stake.",
        format_gas(r.gas_used),
        format_metis(weight)
    );
    let replay = gov.submit_vote(erin, id, 0, ops[1].account, &signature).await.unwrap_err();
    println!("   Erin replays Bob's ballot: {}.", replay.root_cause());
    let (weight, _) = gov.vote(ops[2].account, id, 1, None).await?;
    println!("   Carol, who exited, votes too: {} votes; exits stop counting at once.", format_metis(weight));
    let view = gov.view(id).await?;
    println!(
        "   Tally: for {}, against {}, quorum {} (4% of all votes at the snapshot).",
        format_metis(view.for_votes),
        format_metis(view.against),
        format_metis(view.quorum.unwrap_or_default())
    );
    client.warp(view.deadline.saturating_sub(now(&client).await?) + 1).await?;
    let (eta, r) = gov.queue(dave, id).await?;
    println!("   The vote closes; the proposal passed and is queued in the timelock (gas {}): executable from {}.", format_gas(r.gas_used), format_time(eta));
    let err = gov.execute(dave, id).await.unwrap_err();
    println!("   Executing at once is refused: {}.", err.root_cause());
    client.warp(eta.saturating_sub(now(&client).await?) + 1).await?;
    let r = gov.execute(dave, id).await?;
    println!(
        "   Two days later anyone may execute it (gas {}): the minimum stake is {} METIS, and the pool's admin is the timelock ({}).",
        format_gas(r.gas_used),
        format_metis(p.minLock().call().await?),
        if p.defaultAdmin().call().await? == timelock { "the deployer keeps nothing" } else { "MISMATCH" }
    );
    let build_after = p.dseqProgram().call().await?.build;
    println!(
        "   The pool runs version 2 (build {} -> {}), and its new view reads the old storage: stakeOf(Alice) = {} METIS.",
        short(build_before),
        short(build_after),
        format_metis(v2.stakeOf(ops[0].account).call().await?)
    );
    println!(
        "   The stakes did not move: Alice {} METIS, Bob {} METIS.",
        format_metis(pool.sequencer(U256::from(1)).await?.amount),
        format_metis(pool.sequencer(U256::from(2)).await?.amount)
    );
    let approved = lsts.view(vault, 10).await?;
    println!(
        "   The registry lists {:?} as {} with a cap of {} METIS: it may pair with up to {} sequencers.",
        approved.name,
        dseq_abi::lst::status::name(approved.status),
        format_metis(approved.cap),
        lsts.max_pairings().await?
    );

    chapter("9. Liquid staking");
    let holdings = [("Judy", judy, 20_000u64), ("Ken", ken, 15_000u64)];
    for (name, who, amount) in holdings {
        client.send_call(who, pool.token, &IERC20::mintCall { to: who, value: metis(amount) }).await?;
        client.send_call(who, pool.token, &IERC20::approveCall { spender: vault, value: metis(amount) }).await?;
        client.send_call(who, vault, &IMockLstVault::depositCall { amount: metis(amount) }).await?;
        println!("   {name} deposits {} METIS into the vault for as many shares.", format_metis(metis(amount)));
    }
    let alice_id = U256::from(1);
    let r = lsts.offer(alice, alice_id, vault).await?;
    println!("   Alice offers her sequencer to the vault (gas {}); nothing is paired until the vault accepts.", format_gas(r.gas_used));
    let sneak = ILockingPool::lockDelegatedCall { sequencerId: alice_id, amount: metis(1_000) };
    let err = client.send_call(mallory, pool.address, &sneak).await.unwrap_err();
    println!("   Mallory tries to slip her own METIS into Alice's sequencer as its LST: the pool {err}.");
    let r = client.send_call(ivan, vault, &IMockLstVault::acceptPairingCall { sequencerId: alice_id }).await?;
    println!("   Ivan has the vault accept (gas {}): sequencer 1 and the vault are paired.", format_gas(r.gas_used));
    let r = client.send_call(ivan, vault, &IMockLstVault::delegateCall { sequencerId: alice_id, amount: metis(30_000) }).await?;
    let pairing = lsts.pairing(alice_id).await?;
    println!(
        "   The vault delegates 30,000 of its holders' METIS (gas {}): sequencer 1 now weighs {} METIS, Alice's {} and the vault's {},\n   \
         together under the most a sequencer may lock, {} METIS; the vault's stake votes as the vault's: Alice {} votes, the vault {}.",
        format_gas(r.gas_used),
        format_metis(pairing.operator_stake + pairing.lst_stake),
        format_metis(pairing.operator_stake),
        format_metis(pairing.lst_stake),
        format_metis(max_lock),
        format_metis(votes.view(alice).await?.votes),
        format_metis(votes.view(vault).await?.votes)
    );
    let grab = ILockingPool::requestWithdrawalCall { sequencerId: alice_id, amount: metis(45_000) };
    let err = client.send_call(alice, pool.address, &grab).await.unwrap_err();
    println!("   Alice asks for 45,000 METIS back, more than her own 40,000: the pool {err}.");
    let r = client.send_call(ivan, vault, &IMockLstVault::requestWithdrawalCall { sequencerId: alice_id, amount: metis(20_000) }).await?;
    println!(
        "   The vault asks for 20,000 of its METIS back (gas {}): its own request, in the same {} queue as an operator's.",
        format_gas(r.gas_used),
        format_duration(delay)
    );
    let mut received = [U256::ZERO; 3];
    let (vault_rewards, rewards_balanced) = rewards_chapter(&client, &d, &rewards, &ops, mallory, ivan, vault, &mut received).await?;

    chapter("11. The pairing ends");
    let (ended, r) = lsts.unpair(alice, alice_id).await?;
    if let Unpairing::Ended { unwound, claimable_at, .. } = ended {
        println!(
            "   Alice ends the pairing (gas {}): the vault's other {} METIS enter its queue at once, claimable from {}.",
            format_gas(r.gas_used),
            format_metis(unwound),
            claimable_at.map_or("-".into(), format_time)
        );
    }
    let a = crate::lst_vault::assets(&client, vault).await?;
    println!(
        "   The vault holds {} METIS idle + {} staked + {} queued = {} for {} shares: {}.",
        format_metis(a.idle),
        format_metis(a.staked),
        format_metis(a.pending),
        format_metis(a.total),
        format_metis(a.shares),
        if a.total == a.shares { "every share is backed" } else { "MISMATCH" }
    );

    chapter("12. Three weeks later");
    client.warp(delay + 1).await?;
    println!("   {} pass on the chain's clock.", format_duration(delay + 1));
    let (paid, _) = pool.claim(ops[1].account).await?;
    println!("   Bob claims his matured withdrawals: {} METIS back in his wallet.", format_metis(paid));
    let (paid, _) = pool.claim(ops[2].account).await?;
    println!("   Carol claims her exited stake: {} METIS back in her wallet.", format_metis(paid));
    let r = client.send_call(ivan, vault, &IMockLstVault::claimCall {}).await?;
    let paid = dseq_client::client::events::<ILockingPool::DelegatedWithdrawalsClaimed>(&r, pool.address).pop().map_or(U256::ZERO, |e| e.amount);
    println!("   The vault claims its two matured requests in one call: {} METIS back (gas {}).", format_metis(paid), format_gas(r.gas_used));
    for (name, who, amount) in holdings {
        client.send_call(who, vault, &IMockLstVault::redeemCall { amount: metis(amount) }).await?;
        println!("   {name} redeems {} shares for as many METIS.", format_metis(metis(amount)));
    }
    let (new_signer, _) = pool.rotate_signer(ops[0].account, &node_key(11)).await?;
    println!("   Alice moves her sequencer to a new node key {new_signer}, with a fresh proof.");

    chapter("13. The books");
    let view = pool.view(10).await?;
    print!("{}", crate::status::render(&view, Some(&d)));
    println!();
    print!("{}", crate::status::render_registry(&lsts, &d, &lsts.all(10).await?, view.now).await?);
    println!();
    let books = rewards.view(10, &[vault]).await?;
    print!("{}", crate::status::render_rewards(&books, Some(&d), &[(vault, lst_name.to_string())], view.now));
    println!();
    println!("   {:<6} {:>18} {:>18} {:>12} {:>19} {:>19}", "", "wallet", "staked", "queued", "total", "given + rewards");
    let mut conserved = rewards_balanced && books.balanced();
    for (i, op) in ops.iter().enumerate() {
        let wallet = token.balanceOf(op.account).call().await?;
        let s = pool.sequencer(U256::from(i + 1)).await?;
        let total = wallet + s.amount + s.pending;
        conserved &= total == given + received[i];
        println!(
            "   {:<6} {:>18} {:>18} {:>12} {:>19} {:>19}",
            op.name,
            format_metis(wallet),
            format_metis(s.amount),
            format_metis(s.pending),
            format_metis(total),
            format_metis(given + received[i])
        );
    }
    let vmetis = IERC20::new(votes.address, client.provider.clone());
    let mut wrapped_total = U256::ZERO;
    for (name, account, amount) in holders {
        let (wallet, wrapped) = (token.balanceOf(account).call().await?, vmetis.balanceOf(account).call().await?);
        conserved &= wallet + wrapped == metis(amount);
        wrapped_total += wrapped;
        println!("   {:<6} {:>18} {:>18} {:>12} {:>19}  (wrapped)", name, format_metis(wallet), format_metis(wrapped), "0", format_metis(wallet + wrapped));
    }
    for (name, who, amount) in holdings {
        let (wallet, shares) = (token.balanceOf(who).call().await?, v.sharesOf(who).call().await?);
        conserved &= wallet + shares == metis(amount);
        println!("   {:<6} {:>18} {:>18} {:>12} {:>19}  (vault shares)", name, format_metis(wallet), format_metis(shares), "0", format_metis(wallet + shares));
    }
    let a = crate::lst_vault::assets(&client, vault).await?;
    let vault_backed = a.total == a.shares && a.staked.is_zero() && a.pending.is_zero() && a.rewards == vault_rewards;
    conserved &= vault_backed;
    let votes_backed = token.balanceOf(votes.address).call().await? == wrapped_total;
    conserved &= votes_backed;
    let pool_balanced = view.token_balance == view.total_locked + view.total_pending_withdrawals;
    println!(
        "   The vault holds {} METIS for {} shares, none left in the pool, and {} METIS of LST rewards for its holders: {}.",
        format_metis(a.total),
        format_metis(a.shares),
        format_metis(a.rewards),
        if vault_backed { "its holders got every token back" } else { "MISMATCH" }
    );
    println!(
        "   The reward distributor paid out {} of the {} METIS it was funded and holds the {} still claimable: {}.",
        format_metis(books.paid),
        format_metis(books.funded),
        format_metis(books.claimable()),
        if books.balanced() { "funded = paid + claimable" } else { "MISMATCH" }
    );
    println!(
        "   Every operator has exactly {} METIS plus the rewards it took between wallet, stake and queue, every holder what it wrapped: {}.",
        format_metis(given),
        if conserved { "nothing was lost" } else { "MISMATCH" }
    );
    println!(
        "   The voting token holds {} METIS for {} vMETIS wrapped: {}.",
        format_metis(token.balanceOf(votes.address).call().await?),
        format_metis(wrapped_total),
        if votes_backed { "every vote is backed" } else { "MISMATCH" }
    );
    println!(
        "   The pool holds {} METIS = {} locked + {} queued: {}.",
        format_metis(view.token_balance),
        format_metis(view.total_locked),
        format_metis(view.total_pending_withdrawals),
        if pool_balanced { "every token accounted for" } else { "MISMATCH" }
    );
    let seconds = started.elapsed().as_secs_f64();
    println!("\nDemo finished in {seconds:.1} s.");
    if !conserved || !pool_balanced {
        bail!("the books do not balance: see the table above");
    }
    match serve {
        Some(port) => serve_page(root, &client, &node, &d, port).await?,
        None => println!(
            "To see this season from a holder's wallet: `cargo run -p dseq -- demo --serve` plays it again, then keeps the chain\n\
             running and serves the holder's page at http://127.0.0.1:{}.",
            crate::app::DEFAULT_PORT
        ),
    }
    Ok(DemoReport { conserved, pool_balanced, seconds })
}

/// Chapter 10: reward batches and fees arrive while the vault is paired with Alice's
/// sequencer; the split per sequencer; commission changes wait their delay; every party claims
/// or compounds; the distributor's books close. Adds what each operator took to `received`;
/// returns the vault's LST rewards and whether the books balanced.
#[allow(clippy::too_many_arguments)]
async fn rewards_chapter(
    client: &dseq_client::Client,
    d: &dseq_client::Deployment,
    rewards: &Rewards<'_>,
    ops: &[Operator; 3],
    mallory: Address,
    ivan: Address,
    vault: Address,
    received: &mut [U256; 3],
) -> Result<(U256, bool)> {
    use dseq_client::bindings::IRewardDistributor;
    chapter("10. Rewards and fees");
    let terms = rewards.terms().await?;
    let mpc = terms.submitter;
    client.send_call(mpc, rewards.token, &IERC20::mintCall { to: mpc, value: metis(10_000) }).await?;
    println!(
        "   The MPC ({mpc}) reports the blocks each signer produced, batch by batch; the reward payer (the same account\n   \
         here) funds {} METIS a block. {} of every reward and fee goes to the treasury (the timelock), the rest is split\n   \
         by stake between the operator and its LST, and the operator keeps its commission of the LST's part.",
        format_metis(terms.reward_per_block),
        format_bps(terms.treasury_bps)
    );
    let signer = |i: usize| Address::from_public_key(ops[i].signer.verifying_key());
    let entries = vec![(signer(0), 120_000u64), (signer(1), 100_000), (signer(2), 40_000)];
    let batch = rewards.next_batch(None, 11, entries).await?;
    let err = client.send_call(mallory, rewards.address, &batch.call()).await.unwrap_err();
    println!("   Mallory submits a batch of her own: the distributor {err}.");
    let mut twice = batch.call();
    let bob_at = twice.signers.iter().position(|s| *s == signer(1)).unwrap_or(0);
    twice.signers.insert(bob_at, signer(1));
    twice.blocks.insert(bob_at, U256::from(100_000));
    let err = client.send_call(mpc, rewards.address, &twice).await.unwrap_err();
    println!("   The MPC's batch lists Bob's signer twice: the distributor {err}\n   (Metis's pool would pay him twice).");
    let (done, receipts) = rewards.submit(mpc, &batch).await?;
    println!(
        "   Batch {} covers epochs {} to {}: {} blocks paid {} METIS, pulled from the payer in the same transaction (gas {}).\n   \
         Carol's signer is paid for the blocks it produced before she exited; Metis would revert the whole batch.",
        batch.id,
        batch.start_epoch,
        batch.end_epoch,
        format_gas(batch.total_blocks().saturating_to()),
        format_metis(done.reward),
        format_gas(receipts.last().map_or(0, |r| r.gas_used))
    );
    let paired = ILockingPool::new(rewards.pool, client.provider.clone()).delegation(U256::from(1)).call().await?;
    println!(
        "   How batch {} splits, per sequencer (Alice shares with the vault: her {} METIS and its {}; her commission {}):",
        batch.id,
        format_metis(paired.operatorStake),
        format_metis(paired.lstStake),
        format_bps(rewards.sequencer(U256::from(1)).await?.commission_bps)
    );
    println!("   {:<8} {:>8} {:>15} {:>15} {:>16} {:>15} {:>15}", "", "blocks", "reward", "treasury", "operator", "(commission)", "LST");
    let shares = batch.shares(terms.reward_per_block, terms.treasury_bps);
    let mut rows_sum = true;
    let mut rows: Vec<_> = batch.blocks.iter().zip(&shares).zip(&done.sequencers).collect();
    rows.sort_by_key(|(_, id)| **id);
    for ((blocks, (reward, treasury)), id) in rows {
        let s = rewards.sequencer(U256::from(*id)).await?;
        rows_sum &= *treasury + s.operator_share + s.lst_share == *reward;
        println!(
            "   {:<8} {:>8} {:>15} {:>15} {:>16} {:>15} {:>15}",
            ops[(*id - 1) as usize].name,
            format_gas(blocks.saturating_to()),
            format_metis(*reward),
            format_metis(*treasury),
            format_metis(s.operator_share),
            format_metis(s.commission),
            format_metis(s.lst_share)
        );
    }
    println!("   {}", if rows_sum { "Each row sums to its reward exactly: the operator takes the rounding, no wei is lost or made." } else { "MISMATCH: a row does not sum to its reward" });

    let (treasury, r) = rewards.deposit_batch_fees(mpc, &batch, metis(52)).await?;
    println!(
        "   The sequencer fee vault (the same account here) deposits 52 METIS of L2 fees for batch {}, shared by blocks;\n   \
         {} METIS of it to the treasury (with any rounding dust; gas {}).",
        batch.id,
        format_metis(treasury),
        format_gas(r.last().map_or(0, |r| r.gas_used))
    );
    let (_, r) = rewards.deposit_fees(mpc, U256::from(2), metis(5)).await?;
    println!("   And 5 METIS for Bob's sequencer alone (gas {}): fees split exactly as rewards do.", format_gas(r.last().map_or(0, |r| r.gas_used)));

    let too_much = IRewardDistributor::setCommissionCall { sequencerId: U256::from(1), bps: 4_000 };
    let err = client.send_call(ops[0].account, rewards.address, &too_much).await.unwrap_err();
    println!("   Alice tries a 40% commission: the distributor {err}.");
    let (current, next, effective, _) = rewards.set_commission(ops[0].account, 2_500).await?;
    let entries = vec![(signer(0), 20_000u64), (signer(1), 18_000)];
    let batch2 = rewards.next_batch(None, 13, entries).await?;
    let (done2, _) = rewards.submit(mpc, &batch2).await?;
    let alice = rewards.sequencer(U256::from(1)).await?;
    println!(
        "   She raises it to {} right before batch {} ({} METIS): the new rate waits until {}, so Alice's pending\n   \
         rewards still split at {}: she keeps {} METIS of the vault's {} METIS pro-rata part.",
        format_bps(next),
        batch2.id,
        format_metis(done2.reward),
        format_time(effective),
        format_bps(current),
        format_metis(alice.commission),
        format_metis(alice.commission + alice.lst_share)
    );

    let (paid, to, r) = rewards.claim_operator(ops[1].account, U256::from(2)).await?;
    received[1] += paid;
    println!("   Bob claims his operator rewards: {} METIS to his reward recipient, himself ({to}; gas {}).", format_metis(paid), format_gas(r.gas_used));
    let (paid, stake, r) = rewards.compound(ops[0].account).await?;
    received[0] += paid;
    println!(
        "   Alice compounds hers into her stake instead: {} METIS, her stake is now {} METIS (gas {}). The pool settled\n   \
         her pending rewards at the stakes that earned them before changing her stake, so the vault's part is set aside.",
        format_metis(paid),
        format_metis(stake),
        format_gas(r.gas_used)
    );
    let (paid, _, r) = rewards.claim_operator(ops[2].account, U256::from(3)).await?;
    received[2] += paid;
    println!("   Carol has exited, but her rewards waited for her: {} METIS claimed (gas {}).", format_metis(paid), format_gas(r.gas_used));
    let r = client.send_call(ivan, vault, &crate::lst_vault::IMockLstVault::claimRewardsCall {}).await?;
    let vault_rewards = dseq_client::client::events::<IRewardDistributor::LstRewardsClaimed>(&r, rewards.address).pop().map_or(U256::ZERO, |e| e.amount);
    println!("   Ivan has the vault claim its LST rewards: {} METIS for its holders (gas {}).", format_metis(vault_rewards), format_gas(r.gas_used));
    let (paid, treasury, r) = rewards.claim_treasury(mallory).await?;
    let timelock = d.timelock.proxy.unwrap_or_default();
    println!(
        "   Anyone may send the treasury its share: Mallory does, and {} METIS go to {treasury}{} (gas {}).",
        format_metis(paid),
        if treasury == timelock { " (the timelock)" } else { "" },
        format_gas(r.gas_used)
    );
    rewards.deposit_fees(mpc, U256::from(1), metis(12)).await?;
    let books = rewards.view(10, &[vault]).await?;
    println!("   12 more METIS of fees arrive for Alice's sequencer and wait, unclaimed.");
    println!(
        "   The distributor's books: funded {} = paid {} + claimable {} METIS, and it holds exactly {} METIS: {}.",
        format_metis(books.funded),
        format_metis(books.paid),
        format_metis(books.claimable()),
        format_metis(books.token_balance),
        if books.balanced() { "every reward is accounted for" } else { "MISMATCH" }
    );
    Ok((vault_rewards, rows_sum && books.balanced()))
}

/// Keeps the demo's chain running and serves the holder's page on it until Ctrl-C, with a
/// proposal open for votes (the season's one was executed).
async fn serve_page(root: &Path, client: &dseq_client::Client, node: &devnode::RunningNode, d: &dseq_client::Deployment, port: u16) -> Result<()> {
    chapter("14. Your turn");
    let gov = Governance::of(client, d)?;
    let rewards = d.reward_distributor()?;
    let action = Action::call(rewards, "setTreasuryBps(uint16)", &["800".to_string()])?;
    let frank = client.accounts[7];
    let (proposal, _) = gov
        .propose(frank, vec![action], "Lower the treasury's share of rewards to 8%\n\nOperators and LSTs keep 2% more of every batch and fee.")
        .await?;
    client.warp(proposal.vote_start.saturating_sub(now(client).await?) + 1).await?;
    let bundle = crate::app::build_bundle(root)?;
    let suite = crate::app::suite_json(d, client.chain_id)?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let server = crate::app::serve(root, &bundle, &node.url(), &suite, addr).await?;
    println!("   Frank proposes to lower the treasury's share to 8%; voting is open until {}.", format_time(proposal.vote_end));
    print!("   {}", crate::app::banner(&server, &bundle, &node.url()).replace('\n', "\n   ").trim_end_matches(' '));
    let key = crate::session::dev_signers()[7].to_bytes();
    println!(
        "   The chain is {} (chain id {}). To vote as Frank (30,000 votes), import anvil's dev key 7 into your wallet:\n   {key}",
        node.url(),
        client.chain_id
    );
    use std::io::Write as _;
    std::io::stdout().flush()?;
    tokio::signal::ctrl_c().await?;
    Ok(())
}

/// The latest block's timestamp.
async fn now(client: &dseq_client::Client) -> Result<u64> {
    Ok(client.latest_block().await?.1)
}

//! sequencer-election on the devnode, deployed by `dseq deploy`'s code behind its proxy with the
//! real metis-votes and locking-pool: two rounds of a season through `dseq-client`, every
//! refusal read back from real revert data. (The one-second edges of every window are in
//! `contracts/sequencer-election/tests/`, where the clock is exact.)

mod common;

use dseq_client::alloy::primitives::{Address, U256};
use dseq_client::bindings::{IERC20, ILockingPool};
use dseq_client::deploy::{self, DeployConfig, RecordOptions};
use dseq_client::election::Election;
use dseq_client::pool::Pool;
use dseq_client::votes::Votes;
use k256::ecdsa::SigningKey;

fn metis(n: u64) -> U256 {
    U256::from(n) * dseq_abi::locking_pool::METIS
}

fn node_key(n: u8) -> SigningKey {
    SigningKey::from_slice(&[0x60 + n; 32]).unwrap()
}

/// The error of a call expected to revert, in words.
fn fails<T>(r: anyhow::Result<T>) -> String {
    match r {
        Ok(_) => panic!("expected a revert"),
        Err(e) => format!("{e:#}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_season_of_rounds_on_the_devnode() {
    use dseq_abi::election::status;
    let root = common::root();
    let artifacts = dseq::session::artifacts(&root, false, false).expect("build");
    let (_node, client) = dseq::session::embedded_chain(Vec::new()).await.unwrap();
    let config = DeployConfig {
        election_cadence: Some(10_000),
        election_application_period: Some(100),
        election_voting_period: Some(200),
        election_vetting_period: Some(50),
        election_seats: Some(2),
        election_max_candidates: Some(4),
        election_min_voters: Some(2),
        election_quorum: Some("1000".into()),
        ..DeployConfig::default()
    };
    let (d, _) = deploy::deploy(&client, &artifacts, &config, &RecordOptions::default(), &mut |_| {}).await.unwrap();
    let (e, votes, pool) = (Election::of(&client, &d).unwrap(), Votes::of(&client, &d).unwrap(), Pool::of(&client, &d).unwrap());
    let token = d.token().unwrap();

    // Holders: 5 (3,000), 6 (2,000), 7 (1,000) delegate to themselves; 8 wraps but never delegates.
    let holders = [(client.accounts[5], 3_000), (client.accounts[6], 2_000), (client.accounts[7], 1_000), (client.accounts[8], 500)];
    for (h, amount) in holders {
        client.send_call(h, token, &IERC20::mintCall { to: h, value: metis(amount) }).await.unwrap();
        votes.wrap(h, metis(amount)).await.unwrap();
    }
    for (h, _) in &holders[..3] {
        votes.delegate(*h, *h).await.unwrap();
    }
    let (h5, h6, h7, h8) = (holders[0].0, holders[1].0, holders[2].0, holders[3].0);

    // Round 1: four candidates fill the cap; a fifth is refused.
    let (round, _) = e.open(client.accounts[9]).await.unwrap();
    assert_eq!(round, U256::from(1));
    let c: Vec<Address> = (1..=4).map(|i| client.accounts[i]).collect();
    for (i, op) in c.iter().enumerate() {
        e.apply(*op, &node_key(i as u8), round, &format!("ipfs://candidate-{i}")).await.unwrap();
    }
    let err = fails(e.apply(client.accounts[9], &node_key(9), round, "").await);
    assert!(err.contains("TooManyCandidates(roundId: 1, maxCandidates: 4)"), "{err}");
    let err = fails(e.vote(h5, round, c[0], 1).await);
    assert!(err.contains("UnexpectedPhase(roundId: 1, phase: 1, expected: 2)"), "{err}");

    let view = e.round(round).await.unwrap();
    client.warp(view.voting_start - client.latest_block().await.unwrap().1 + 1).await.unwrap();
    let err = fails(e.apply(client.accounts[9], &node_key(9), round, "").await);
    assert!(err.contains("UnexpectedPhase(roundId: 1, phase: 2, expected: 1)"), "{err}");
    // After the snapshot h5 hands its votes to h8: h8 still weighs what it had then (nothing).
    client.send_call(h5, votes.address, &IERC20::transferCall { to: h8, value: metis(3_000) }).await.unwrap();
    votes.delegate(h8, h8).await.unwrap();
    let err = fails(e.vote(h8, round, c[0], 1).await);
    assert!(err.contains(&format!("NoVotingPower(voter: {h8}")), "{err}");
    // c0: 6,000 for; c1 and c2 tie at 5,000 for (c1 applied first); c3 fails the approval.
    let (w, _) = e.vote_many(h5, round, &[(c[0], 1), (c[1], 1), (c[2], 1), (c[3], 0)]).await.unwrap();
    assert_eq!(w, metis(3_000), "h5's weight at the snapshot, though its tokens have left");
    e.vote_many(h6, round, &[(c[0], 1), (c[1], 1), (c[2], 1), (c[3], 1)]).await.unwrap();
    let ballot = e.ballot(h7, round, c[0], 1).await.unwrap();
    let signature = e.sign(&ballot, dseq::session::dev_signers()[7].credential()).unwrap();
    let (w, _) = e.submit_vote(client.accounts[9], round, c[0], 1, h7, &signature).await.unwrap();
    assert_eq!(w, metis(1_000));
    let err = fails(e.submit_vote(client.accounts[9], round, c[0], 1, h7, &signature).await);
    assert!(err.contains(&format!("InvalidVoteSignature(voter: {h7})")), "{err}");
    let err = fails(e.vote(h6, round, c[0], 1).await);
    assert!(err.contains(&format!("AlreadyVoted(roundId: 1, candidate: {}, voter: {h6})", c[0])), "{err}");
    assert_eq!(e.voting_power(round, h5).await.unwrap(), metis(3_000));

    let err = fails(e.finalize(h5, round).await);
    assert!(err.contains("UnexpectedPhase(roundId: 1, phase: 2, expected: 4)"), "{err}");
    client.warp(view.vetting_end - client.latest_block().await.unwrap().1 + 1).await.unwrap();
    let err = fails(e.open(h5).await);
    assert!(err.contains("PreviousRoundOpen(roundId: 1)"), "{err}");
    let (seats, _) = e.finalize(h5, round).await.unwrap();
    let won: Vec<(u64, Address, U256)> = seats.iter().map(|s| (s.rank, s.operator, s.votes_for)).collect();
    assert_eq!(won, vec![(1, c[0], metis(6_000)), (2, c[1], metis(5_000))], "the tie goes to the earlier application");
    let result = e.round(round).await.unwrap();
    let statuses: Vec<u8> = result.candidates.iter().map(|c| c.status).collect();
    assert_eq!(statuses, vec![status::ADMITTED, status::ADMITTED, status::OUTRANKED, status::NOT_QUALIFIED]);
    assert_eq!(result.candidates[0].metadata_uri, "ipfs://candidate-0");
    assert_eq!((result.admitted, result.quorum), (2, Some(metis(1_000))));

    // The elected register; the outranked cannot.
    let p = ILockingPool::new(pool.address, client.provider.clone());
    assert!(p.whitelist(c[0]).call().await.unwrap() && p.whitelist(c[1]).call().await.unwrap());
    for (i, op) in c.iter().enumerate().take(3) {
        client.send_call(*op, token, &IERC20::mintCall { to: *op, value: metis(30_000) }).await.unwrap();
        let registered = pool.register(*op, &node_key(i as u8), metis(20_000), None).await;
        if i < 2 {
            assert_eq!(registered.unwrap().0, U256::from(i + 1));
        } else {
            let err = format!("{:#}", registered.err().unwrap());
            assert!(err.contains(&format!("{} is not admitted as a sequencer owner (NotWhitelisted)", c[2])), "{err}");
        }
    }

    // Round 2, due a cadence after round 1's slot: an operator cannot run again; nobody
    // qualifies (one voter), the round finalizes empty, and round 3 opens as usual.
    let due = e.view().await.unwrap().next_round_at;
    assert_eq!(due, result.scheduled_at + 10_000);
    let err = fails(e.open(h5).await);
    assert!(err.contains(&format!("RoundNotDue(roundId: 2, dueAt: {due})")), "{err}");
    client.warp(due - client.latest_block().await.unwrap().1 + 1).await.unwrap();
    let (round, _) = e.open(h5).await.unwrap();
    let err = fails(e.apply(c[0], &node_key(0), round, "").await);
    assert!(err.contains(&format!("AlreadyOperator(operator: {})", c[0])), "{err}");
    e.apply(c[2], &node_key(12), round, "again").await.unwrap();
    let view = e.round(round).await.unwrap();
    client.warp(view.voting_start - client.latest_block().await.unwrap().1 + 1).await.unwrap();
    e.vote(h6, round, c[2], 1).await.unwrap();
    client.warp(view.vetting_end - client.latest_block().await.unwrap().1 + 1).await.unwrap();
    let (seats, _) = e.finalize(h5, round).await.unwrap();
    assert!(seats.is_empty());
    assert_eq!(e.round(round).await.unwrap().candidates[0].status, status::NOT_QUALIFIED);
    let due = e.view().await.unwrap().next_round_at;
    client.warp(due - client.latest_block().await.unwrap().1 + 1).await.unwrap();
    assert_eq!(e.open(h5).await.unwrap().0, U256::from(3));
}

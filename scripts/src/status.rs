//! `dseq status`: the suite's state on one screen, read from the chain through the deployment
//! record.

use std::fmt::Write as _;

use dseq_client::deploy::Deployment;
use dseq_client::pool::{status_name, PoolView, SequencerView};
use dseq_client::units::{format_bps, format_duration, format_metis, format_time};
use dseq_client::votes::VotesView;

/// Seconds from `now` to `at` in words: `in 3d 4h`, `ready`.
pub fn until(now: u64, at: u64) -> String {
    if at <= now { "ready".into() } else { format!("in {}", format_duration(at - now)) }
}

/// The pool's state as text.
pub fn render(view: &PoolView, deployment: Option<&Deployment>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "locking-pool {}  (block {}, {})", view.address, view.block, format_time(view.now));
    if let Some(d) = deployment {
        let mock = d.token.as_ref().is_some_and(|t| t.mock);
        let _ = writeln!(out, "  chain {}, deployed by {} at block {} with {}", d.chain_id, d.deployer, d.deploy_block, d.tool);
        let _ = writeln!(out, "  METIS {}{}", view.token, if mock { " (mock: anyone can mint)" } else { "" });
        if let Some(votes) = d.metis_votes.proxy {
            let _ = writeln!(out, "  votes {votes} (metis-votes: wrapped METIS and locked stake vote here)");
        }
    }
    let _ = writeln!(out, "  state       {}", if view.paused { "PAUSED: registration, relock and requests stopped; claims and exits work" } else { "running" });
    let _ = writeln!(
        out,
        "  stake       {} METIS locked, {} METIS in withdrawal queues; the pool holds {} METIS",
        format_metis(view.total_locked),
        format_metis(view.total_pending_withdrawals),
        format_metis(view.token_balance)
    );
    let _ = writeln!(
        out,
        "  rules       stake {} to {} METIS, exit delay {}, {} open withdrawal requests per sequencer, signer rotation every {}",
        format_metis(view.min_lock),
        format_metis(view.max_lock),
        format_duration(view.exit_delay),
        view.max_withdrawal_requests,
        format_duration(view.signer_rotation_delay)
    );
    let timelock = deployment.and_then(|d| d.timelock.proxy);
    let admin_note = if Some(view.default_admin) == timelock { " (the timelock)" } else { "" };
    let _ = writeln!(out, "  admin       {}{admin_note}", view.default_admin);
    if let Some(d) = deployment {
        if let (Some(governor), Some(timelock)) = (d.governor.proxy, d.timelock.proxy) {
            let _ = writeln!(out, "  governance  governor {governor}, timelock {timelock} (`dseq gov status` lists proposals)");
        }
    }
    let programs: Vec<String> = view.programs.iter().map(|p| p.to_string()).collect();
    let _ = writeln!(out, "  programs    {} (after the entry behind the proxy)", programs.join(", "));
    let _ = writeln!(out, "  sequencers  {} registered, {} active", view.total_sequencers, view.active_sequencers);
    if !view.sequencers.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "  {:>3}  {:<9}  {:>12}  {:>12}  {:<42}  {:<42}  withdrawals", "id", "status", "stake", "LST stake", "owner", "signer");
        for s in &view.sequencers {
            let _ = writeln!(out, "  {}", sequencer_line(s, view.now));
        }
        if view.total_sequencers > view.sequencers.len() as u64 {
            let _ = writeln!(out, "  ... and {} more (--limit N shows more)", view.total_sequencers - view.sequencers.len() as u64);
        }
    }
    out
}

/// One sequencer on one line, with its open withdrawals.
pub fn sequencer_line(s: &SequencerView, now: u64) -> String {
    let mut withdrawals: Vec<String> = s
        .requests
        .iter()
        .map(|r| format!("#{} {} METIS {}", r.id, format_metis(r.amount), until(now, r.claimable_at)))
        .collect();
    if s.status == 1 {
        withdrawals.push(format!("exit: {} METIS {}", format_metis(s.amount), until(now, s.unlock_claim_time)));
    }
    let withdrawals = if withdrawals.is_empty() { "-".to_string() } else { withdrawals.join("; ") };
    let lst_stake = if s.lst.is_zero() && s.lst_stake.is_zero() { "-".to_string() } else { format_metis(s.lst_stake) };
    format!(
        "{:>3}  {:<9}  {:>12}  {:>12}  {:<42}  {:<42}  {withdrawals}",
        s.id,
        status_name(s.status),
        format_metis(s.amount),
        lst_stake,
        s.owner.to_string(),
        s.signer.to_string()
    )
}

/// One operator's sequencer in detail (`dseq operator status`).
pub fn render_sequencer(s: &SequencerView, now: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "sequencer {} ({})", s.id, status_name(s.status));
    let _ = writeln!(out, "  owner             {}", s.owner);
    let _ = writeln!(out, "  signer            {}", s.signer);
    let _ = writeln!(out, "  reward recipient  {}", s.reward_recipient);
    let _ = writeln!(out, "  stake             {} METIS", format_metis(s.amount));
    if !s.lst.is_zero() {
        let _ = writeln!(out, "  paired LST        {} with {} METIS of its own here (`dseq lst status` shows its queue)", s.lst, format_metis(s.lst_stake));
    }
    let _ = writeln!(out, "  in withdrawal     {} METIS ({} METIS claimable now)", format_metis(s.pending), format_metis(s.claimable));
    for r in &s.requests {
        let _ = writeln!(out, "    request #{}: {} METIS, claimable {} ({})", r.id, format_metis(r.amount), format_time(r.claimable_at), until(now, r.claimable_at));
    }
    if s.status == 1 {
        let _ = writeln!(out, "  exit              {} METIS claimable {} ({})", format_metis(s.amount), format_time(s.unlock_claim_time), until(now, s.unlock_claim_time));
    }
    out
}

/// An account's voting power (`dseq votes status`).
pub fn render_votes(v: &VotesView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "votes of {}", v.account);
    let _ = writeln!(out, "  METIS in wallet   {} (not votes until wrapped)", format_metis(v.metis));
    let _ = writeln!(out, "  wrapped           {} vMETIS", format_metis(v.wrapped));
    let _ = writeln!(out, "  locked stake      {} METIS", format_metis(v.stake));
    let delegate = if v.delegate.is_zero() {
        "nobody: wrapped METIS and stake count for no one until delegated (`dseq votes delegate`)".to_string()
    } else if v.delegate == v.account {
        format!("{} (itself)", v.delegate)
    } else {
        v.delegate.to_string()
    };
    let _ = writeln!(out, "  delegates to      {delegate}");
    let _ = writeln!(out, "  voting power      {} votes delegated to this account", format_metis(v.votes));
    let _ = writeln!(out, "  next nonce        {}", v.nonce);
    out
}

/// A proposal: state, votes against quorum, timeline and calls (`dseq gov status`).
pub fn render_proposal(v: &dseq_client::governance::ProposalView, now: u64) -> String {
    use dseq_client::governance::state_name;
    let mut out = String::new();
    let title = v.proposal.description.lines().next().unwrap_or("");
    let _ = writeln!(out, "proposal {} ({}): {title}", v.proposal.id, state_name(v.state));
    let _ = writeln!(out, "  proposer      {}", v.proposal.proposer);
    let quorum = match v.quorum {
        Some(q) => format!("; quorum {} (for + abstain: {})", format_metis(q), if v.for_votes + v.abstain >= q { "reached" } else { "not reached" }),
        None => "; quorum is read at the snapshot".into(),
    };
    let _ = writeln!(out, "  votes         for {}, against {}, abstain {}{quorum}", format_metis(v.for_votes), format_metis(v.against), format_metis(v.abstain));
    let _ = writeln!(out, "  snapshot      {} ({})", format_time(v.snapshot), if v.snapshot < now { "past: voting power is fixed".to_string() } else { until(now, v.snapshot) });
    let _ = writeln!(out, "  voting ends   {} ({})", format_time(v.deadline), if v.deadline < now { "closed".to_string() } else { until(now, v.deadline) });
    if v.eta > 0 {
        let _ = writeln!(out, "  executable    {} ({})", format_time(v.eta), until(now, v.eta));
    }
    for (i, a) in v.proposal.actions.iter().enumerate() {
        let selector = a.calldata.get(..4).map(|s| format!("0x{}", s.iter().map(|b| format!("{b:02x}")).collect::<String>())).unwrap_or_default();
        let _ = writeln!(out, "  call {}        {} selector {selector}, {} bytes of calldata, value {}", i + 1, a.target, a.calldata.len(), a.value);
    }
    out
}

/// The election's latest round, its candidates and what comes next, as text.
pub fn render_election(view: &dseq_client::election::ElectionView, now: u64) -> String {
    use dseq_abi::election::{phase, status};
    let mut out = String::new();
    let r = &view.rules;
    let _ = writeln!(out, "sequencer-election {}", view.address);
    let _ = writeln!(
        out,
        "  rules       a round every {}: {} to apply, {} to vote, {} vetting; {} seats, at most {} candidates",
        format_duration(r.cadence),
        format_duration(r.application_period),
        format_duration(r.voting_period),
        format_duration(r.vetting_period),
        r.seats,
        r.max_candidates
    );
    let share = if r.quorum_bps > 0 { format!(" or {} of all votes, whichever is more", format_bps(r.quorum_bps)) } else { String::new() };
    let _ = writeln!(
        out,
        "  to win      {} METIS of votes for + abstain{share}, {} voters, {} of for + against in favour",
        format_metis(r.quorum),
        r.min_voters,
        format_bps(r.approval_bps)
    );
    if !view.vetter.is_zero() {
        let _ = writeln!(out, "  vetter      {} may veto candidates during vetting", view.vetter);
    }
    let Some(round) = &view.latest else {
        let _ = writeln!(out, "  no round yet; the first is due {} ({}): `dseq election open`", format_time(view.next_round_at), until(now, view.next_round_at));
        return out;
    };
    let deadline = match round.phase {
        phase::APPLICATIONS => format!("applications close {} ({})", format_time(round.voting_start), until(now, round.voting_start)),
        phase::VOTING => format!("voting closes {} ({})", format_time(round.voting_end), until(now, round.voting_end)),
        phase::VETTING => format!("vetting ends {} ({})", format_time(round.vetting_end), until(now, round.vetting_end)),
        phase::ENDED => "anyone may finalize it: `dseq election finalize`".into(),
        phase::FINALIZED => format!("{} admitted; the next round is due {} ({})", round.admitted, format_time(view.next_round_at), until(now, view.next_round_at)),
        _ => format!("the next round is due {} ({})", format_time(view.next_round_at), until(now, view.next_round_at)),
    };
    let _ = writeln!(out, "  round {}     {}: {deadline}", round.id, phase::name(round.phase));
    let _ = writeln!(
        out,
        "              opened {}, votes weigh at {}, voting until {}, vetting until {}",
        format_time(round.opened_at),
        format_time(round.voting_start),
        format_time(round.voting_end),
        format_time(round.vetting_end)
    );
    if let Some(q) = round.quorum {
        let _ = writeln!(out, "              quorum {} METIS, {} voters, {} approval", format_metis(q), round.rules.min_voters, format_bps(round.rules.approval_bps));
    }
    if round.candidates.is_empty() {
        let _ = writeln!(out, "  no candidates yet: `dseq election apply --signer-key HEX --metadata URI`");
    }
    for c in &round.candidates {
        let approval = c.approval_permille().map_or("-".to_string(), |p| format!("{:.1}%", p as f64 / 10.0));
        let _ = writeln!(
            out,
            "  #{} {}  {:<13} for {} / against {} / abstain {} METIS, {} voters, approval {approval}",
            c.index + 1,
            c.operator,
            status::name(c.status),
            format_metis(c.votes_for),
            format_metis(c.against),
            format_metis(c.abstain),
            c.voters
        );
        let _ = writeln!(out, "       node key {}{}", c.signer, if c.metadata_uri.is_empty() { String::new() } else { format!(", {}", c.metadata_uri) });
    }
    out
}

/// The LST registry: who governs it, the limit on pairings, and each LST with its terms,
/// stake, pairings and queue (`dseq status`, `dseq lst status`).
pub fn render_lsts(registry: dseq_client::alloy::primitives::Address, governance: &str, max_pairings: u32, lsts: &[dseq_client::lst::LstView], now: u64) -> String {
    use dseq_abi::lst::status;
    let mut out = String::new();
    let _ = writeln!(out, "lst-registry {registry}");
    let _ = writeln!(out, "  rules       LSTs approved by {governance}; each pairs with at most {max_pairings} sequencers");
    if lsts.is_empty() {
        let _ = writeln!(out, "  no LST approved yet (`dseq lst approve` proposes one)");
        return out;
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "  {:<16}  {:<15}  {:>12}  {:>12}  {:>12}  {:<42}  pairings", "name", "status", "staked", "cap", "queued", "address");
    for l in lsts {
        let state = if l.status == status::ACTIVE && !l.open { "Active (closed)" } else { status::name(l.status) };
        let pairings: Vec<String> = l.sequencers.iter().map(|(id, stake)| format!("#{id} {} METIS", format_metis(*stake))).collect();
        let pairings = if pairings.is_empty() { format!("{} of {max_pairings}", l.pairings) } else { format!("{} of {max_pairings}: {}", l.pairings, pairings.join(", ")) };
        let _ = writeln!(
            out,
            "  {:<16}  {:<15}  {:>12}  {:>12}  {:>12}  {:<42}  {pairings}",
            l.name,
            state,
            format_metis(l.staked),
            format_metis(l.cap),
            format_metis(l.pending),
            l.address.to_string()
        );
        for r in &l.requests {
            let _ = writeln!(
                out,
                "    request #{} from sequencer {}: {} METIS, claimable {} ({})",
                r.id,
                r.sequencer_id,
                format_metis(r.amount),
                format_time(r.claimable_at),
                until(now, r.claimable_at)
            );
        }
    }
    out
}

/// The registry's section of `dseq status`, `dseq lst status` and the demo's books: `lsts`
/// under the rules the registry reads back, with who governs it named.
pub async fn render_registry(
    lsts: &dseq_client::lst::Lsts<'_>,
    deployment: &Deployment,
    views: &[dseq_client::lst::LstView],
    now: u64,
) -> anyhow::Result<String> {
    let governance = lsts.governance().await?;
    let who = if deployment.timelock.proxy == Some(governance) { format!("{governance} (the timelock, by proposal)") } else { governance.to_string() };
    Ok(render_lsts(lsts.registry, &who, lsts.max_pairings().await?, views, now))
}

/// One sequencer's pairing (`dseq lst status --sequencer ID`).
pub fn render_pairing(p: &dseq_client::lst::PairingView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "sequencer {} ({}), operator {}", p.sequencer_id, status_name(p.sequencer_status), p.owner);
    let _ = writeln!(out, "  operator's stake  {} METIS", format_metis(p.operator_stake));
    if p.lst.is_zero() {
        let _ = writeln!(out, "  paired LST        none");
    } else {
        let _ = writeln!(out, "  paired LST        {} since {}, with {} METIS here", p.lst, format_time(p.paired_at), format_metis(p.lst_stake));
    }
    if !p.offered_lst.is_zero() {
        let _ = writeln!(out, "  pending offer     with {}, made by {}; the other side accepts (`dseq lst accept`)", p.offered_lst, p.offered_by);
    }
    out
}

/// The reward distributor: its terms, its books (funded = paid + claimable), the last batch,
/// each sequencer's pending rewards with how they split now, what each party may claim, and
/// each LST's balance (`dseq status`, `dseq rewards status`, the demo). `names` labels LSTs.
pub fn render_rewards(view: &dseq_client::rewards::RewardsView, deployment: Option<&Deployment>, names: &[(dseq_client::alloy::primitives::Address, String)], now: u64) -> String {
    use dseq_client::rewards::describe_commission;
    let mut out = String::new();
    let t = &view.terms;
    let timelock = deployment.and_then(|d| d.timelock.proxy);
    let label = |a: dseq_client::alloy::primitives::Address| if Some(a) == timelock { format!("{a} (the timelock)") } else { a.to_string() };
    let _ = writeln!(out, "reward-distributor {}", view.address);
    let _ = writeln!(
        out,
        "  terms       {} METIS a block; {} of every reward and fee to the treasury {}",
        format_metis(t.reward_per_block),
        format_bps(t.treasury_bps),
        label(t.treasury)
    );
    let _ = writeln!(
        out,
        "              the rest by capital between operator and LST; commission on the LST's part at most {}, changes wait {}",
        format_bps(t.max_commission_bps),
        format_duration(t.commission_delay)
    );
    let _ = writeln!(out, "  roles       batches from {} paid by {}; governed by {}", t.submitter, t.reward_payer, label(t.governance));
    let _ = writeln!(out, "  state       {}", if t.paused { "PAUSED: batches and fee deposits stopped; settlements and claims go on" } else { "running" });
    let batches = if view.last_batch == 0 { "none yet".to_string() } else { format!("{} submitted", view.last_batch) };
    let _ = writeln!(out, "  batches     {batches}; the next is batch {} from epoch {}", view.last_batch + 1, view.next_epoch);
    let claimable = view.claimable();
    let _ = writeln!(
        out,
        "  books       funded {} = paid {} + claimable {} METIS; the distributor holds {} METIS: {}",
        format_metis(view.funded),
        format_metis(view.paid),
        format_metis(claimable),
        format_metis(view.token_balance),
        if view.balanced() { "balanced" } else { "NOT BALANCED (or not every sequencer was read: --limit)" }
    );
    let _ = writeln!(out, "  treasury    {} METIS claimable", format_metis(view.treasury_claimable));
    let earning: Vec<_> = view.sequencers.iter().filter(|s| !(s.pending + s.operator_claimable).is_zero() || s.commission_bps > 0 || s.next_commission_at != 0).collect();
    if !earning.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "  {:>3}  {:<9}  {:>12}  {:>12}  {:>12}  {:>12}  {:>12}  commission",
            "id", "status", "pending", "to operator", "to LST", "commission", "claimable"
        );
        for s in earning {
            let _ = writeln!(
                out,
                "  {:>3}  {:<9}  {:>12}  {:>12}  {:>12}  {:>12}  {:>12}  {}",
                s.id,
                status_name(s.status),
                format_metis(s.pending),
                format_metis(s.operator_share),
                format_metis(s.lst_share),
                format_metis(s.commission),
                format_metis(s.operator_claimable),
                describe_commission(s, now)
            );
        }
        let _ = writeln!(out, "  (pending splits as shown when the stakes next change or anyone settles; claimable goes to the reward recipient)");
    }
    for (lst, balance) in &view.lsts {
        let name = names.iter().find(|(a, _)| a == lst).map_or(String::new(), |(_, n)| format!("{n} "));
        let _ = writeln!(out, "  LST         {name}{lst}: {} METIS claimable", format_metis(*balance));
    }
    out
}

/// One sequencer's rewards in detail (`dseq rewards status --sequencer ID`).
pub fn render_sequencer_rewards(s: &dseq_client::rewards::SequencerRewards, now: u64) -> String {
    use dseq_client::rewards::describe_commission;
    let mut out = String::new();
    let _ = writeln!(out, "rewards of sequencer {} ({}), owner {}", s.id, status_name(s.status), s.owner);
    let _ = writeln!(out, "  reward recipient  {}", s.recipient);
    let _ = writeln!(out, "  claimable         {} METIS (`dseq rewards claim`, or `dseq rewards compound` into the stake)", format_metis(s.operator_claimable));
    let _ = writeln!(out, "  pending           {} METIS, not split yet", format_metis(s.pending));
    if s.lst.is_zero() {
        let _ = writeln!(out, "    splits now as   all {} METIS to the operator (no paired LST)", format_metis(s.operator_share));
    } else {
        let _ = writeln!(
            out,
            "    splits now as   {} METIS to the operator ({} of it commission), {} METIS to the LST {}",
            format_metis(s.operator_share),
            format_metis(s.commission),
            format_metis(s.lst_share),
            s.lst
        );
    }
    let _ = writeln!(out, "  commission        {}", describe_commission(s, now));
    out
}

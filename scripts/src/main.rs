//! `dseq`: build, deploy, operate, demonstrate and measure the dseq Stylus contracts.
//! See `dseq --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use dseq::{abi, build, project};

mod cmd;

#[derive(Parser)]
#[command(
    name = "dseq",
    version,
    about = "Build, deploy, operate, demonstrate and measure the dseq Stylus contracts",
    after_help = "Start here: `dseq demo` plays a season of the suite on an embedded chain."
)]
struct Cli {
    /// Workspace root (default: the nearest parent directory whose Cargo.toml has [workspace]).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build each program of each contract alone for wasm32, compress it as Stylus does, write
    /// artifacts/ and print the size table with each program's headroom; fails if a program
    /// exceeds 90% of the 24,576-byte limit (22,118 bytes).
    Build {
        /// Also write the size table as JSON to this file.
        #[arg(long, value_name = "PATH")]
        json: Option<PathBuf>,
        /// Only this contract (package or directory name); repeatable.
        #[arg(long = "contract", value_name = "NAME")]
        contracts: Vec<String>,
        /// Build each contract at opt-level 3, s and z and compare the compressed sizes.
        #[arg(long)]
        compare_opt_levels: bool,
        /// Also show where each program's bytes go (builds each once more with symbol names).
        #[arg(long)]
        breakdown: bool,
        /// Build a later version declared in [package.metadata.dseq] variants (e.g. v2) into
        /// artifacts/VARIANT/, for `dseq gov propose-upgrade CONTRACT artifacts/VARIANT`.
        #[arg(long, value_name = "VARIANT")]
        variant: Option<String>,
    },
    /// Run the Stylus-capable local chain (anvil's RPC dialect) until interrupted.
    Devnode {
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 8545)]
        port: u16,
        /// Chain id (default: nitro's dev chain).
        #[arg(long, default_value_t = devnode::ChainConfig::default().chain_id)]
        chain_id: u64,
        /// Address to bind.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
    },
    /// Play a season of the suite on an embedded devnode: deploy, admit and register
    /// operators, relock, withdraw, exit, let three weeks pass, claim; then prove from the
    /// balances that nothing was lost.
    Demo {
        /// Use the artifacts already built (skip `dseq build` and forge).
        #[arg(long)]
        no_build: bool,
        /// After the season, keep the chain running and serve the holder's page on it (at
        /// http://127.0.0.1:8600 unless --port) until interrupted.
        #[arg(long)]
        serve: bool,
        /// With --serve: the page's port (0 picks a free one).
        #[arg(long, default_value_t = dseq::app::DEFAULT_PORT)]
        port: u16,
    },
    /// Serve the holder's page for a deployment: a static page (built with esbuild from app/)
    /// that works with any browser wallet, with the deployment's addresses at /suite.json and
    /// JSON-RPC proxied to the node at /rpc on the same origin.
    App {
        #[command(flatten)]
        chain: ChainArgs,
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = dseq::app::DEFAULT_PORT)]
        port: u16,
        /// Address to bind.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Only build the bundle (app/dist/app.js) and print its size.
        #[arg(long)]
        build_only: bool,
    },
    /// Deploy the suite: every program deployed and activated, the pool behind its ERC-1967
    /// proxy initialized atomically, parameters and roles set and read back; writes
    /// deployments/<chain-id>.json. Re-running resumes an unfinished deploy.
    Deploy {
        #[command(flatten)]
        chain: ChainArgs,
        /// Deploy settings (TOML: token, admin, upgrader, admission, pauser, guardian, min-lock,
        /// max-lock, exit-delay, signer-rotation-delay, max-withdrawal-requests, the governor's
        /// voting-delay, voting-period, proposal-threshold, quorum-percent,
        /// late-quorum-extension, timelock-delay, and the election's election-first-round,
        /// election-cadence, election-application-period, election-voting-period,
        /// election-vetting-period, election-seats, election-max-candidates,
        /// election-min-voters, election-approval-bps, election-quorum-bps, election-quorum,
        /// election-vetter, the LST registry's lst-governance and lst-max-pairings, and the
        /// reward distributor's reward-submitter, reward-payer, treasury, reward-per-block,
        /// treasury-bps, first-epoch and reward-governance; and cache-programs, true by default:
        /// cache every program in the chain's program cache when the deployer may).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The METIS token (default on development chains: deploy the METIS mock).
        #[arg(long, value_name = "ADDRESS")]
        token: Option<String>,
        /// Deploy anew even if a record exists (the old record is kept as .json.bak).
        #[arg(long)]
        fresh: bool,
        /// Use the artifacts already built (skip `dseq build` and forge).
        #[arg(long)]
        no_build: bool,
    },
    /// The suite's state on one screen: parameters, totals, sequencers with their
    /// withdrawals and exits.
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        /// Show at most this many sequencers.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Governance actions of the pool's admin roles (the timelock's, once governance lands).
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Mint METIS of the mock token to an account (development deployments only).
    Faucet {
        #[command(flatten)]
        chain: ChainArgs,
        /// Who receives the METIS.
        #[arg(value_name = "ADDRESS")]
        to: String,
        /// How much, in METIS.
        #[arg(long, default_value = "100000")]
        amount: String,
    },
    /// Gas of every operation of the suite from receipts on a fresh devnode, beside Metis's
    /// and OpenZeppelin's figures (reward batches of 1, 10 and 100 signers and the cost per
    /// signer among them); how it grows with 1, 100 and 1,000 sequencers, open withdrawal
    /// requests, voters and LSTs; program sizes; and ERC-20 transfer throughput (Stylus vs EVM).
    /// For meaningful throughput: `cargo run --release -p dseq -- bench`.
    Bench {
        /// Also write the figures as JSON to this file.
        #[arg(long, value_name = "PATH")]
        json: Option<PathBuf>,
        /// Sequencer counts to measure growth at (comma-separated).
        #[arg(long, default_value = "1,100,1000", value_delimiter = ',')]
        sequencers: Vec<u64>,
        /// Transfers per runtime for the throughput figure (0 skips it).
        #[arg(long, default_value_t = 2000)]
        transfers: u64,
        /// Use the artifacts already built (skip `dseq build` and forge).
        #[arg(long)]
        no_build: bool,
    },
    /// Print the processed and compressed size of already-built wasm files.
    Size {
        /// Raw wasm files (as cargo writes them).
        #[arg(required = true)]
        wasm: Vec<PathBuf>,
    },
    /// Sequencer operator actions on locking-pool.
    Operator {
        #[command(subcommand)]
        action: OperatorAction,
    },
    /// Voting power: wrap METIS into votes, delegate them (by transaction or by signature),
    /// unwrap, and see an account's votes. Locked stake votes too, through the same delegate.
    Votes {
        #[command(subcommand)]
        action: VotesAction,
    },
    /// Governance: propose calls to the suite, vote (by transaction or by signature), queue a
    /// passed proposal in the timelock, execute it after the delay, and see proposals.
    Gov {
        #[command(subcommand)]
        action: GovAction,
    },
    /// The sequencer election: open the round that is due, apply as a candidate with the node
    /// key's proof, vote for/against/abstain on candidates (by transaction or by signature), veto
    /// during vetting, finalize (admitting the winners to the pool), and see the round.
    Election {
        #[command(subcommand)]
        action: ElectionAction,
    },
    /// Liquid-staking protocols (LSTs): governance approves them and sets their caps and status
    /// (as proposals), a sequencer's operator and an LST pair by offer and acceptance, and the
    /// paired LST locks METIS into the sequencer, withdraws it through its own queue and claims.
    /// The stake commands sign as the LST, for an LST that acts through an account; a vault
    /// contract sends the same calls itself.
    Lst {
        #[command(subcommand)]
        action: LstAction,
    },
    /// Sequencing rewards and fees: submit a reward batch (the MPC), deposit fee revenue, claim
    /// (the operator's recipient, an LST, the treasury), compound an operator's rewards into its
    /// stake, and see the split and the books. The split: the treasury's share first, the rest
    /// by capital between the operator and its paired LST, the operator's commission on the
    /// LST's part.
    Rewards {
        #[command(subcommand)]
        action: RewardsAction,
    },
    /// Check that contracts/interfaces/I<Name>.sol declares exactly the functions and errors
    /// the contract's export-abi prints.
    AbiCheck {
        /// Only this contract (package or directory name); repeatable.
        #[arg(long = "contract", value_name = "NAME")]
        contracts: Vec<String>,
    },
}

/// Where to send transactions and who signs them.
#[derive(clap::Args, Clone, Debug)]
struct ChainArgs {
    /// The Stylus chain's RPC endpoint.
    #[arg(long, env = "DSEQ_RPC", default_value = dseq::session::DEFAULT_RPC, value_name = "URL")]
    rpc: String,
    /// The signing key in hex (default on development chains: anvil's dev account 0).
    #[arg(long, env = "DSEQ_KEY", hide_env_values = true, value_name = "HEX")]
    key: Option<String>,
    /// The signing key as a keystore file (password from --password-file or DSEQ_KEYSTORE_PASSWORD).
    #[arg(long, value_name = "FILE")]
    keystore: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// The deployment record (default: deployments/<chain-id>.json).
    #[arg(long, value_name = "FILE")]
    deployment: Option<PathBuf>,
}

impl ChainArgs {
    fn keys(&self) -> dseq::session::KeySource {
        dseq::session::KeySource { key: self.key.clone(), keystore: self.keystore.clone(), password_file: self.password_file.clone() }
    }
}

#[derive(Subcommand)]
enum AdminAction {
    /// Admit a sequencer owner (ADMISSION_ROLE).
    Admit {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(value_name = "ADDRESS")]
        owner: String,
    },
    /// Revoke an owner's admission (ADMISSION_ROLE); its exits still work.
    Revoke {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(value_name = "ADDRESS")]
        owner: String,
    },
    /// Pause registration, relock and withdrawal requests (PAUSER_ROLE).
    Pause {
        #[command(flatten)]
        chain: ChainArgs,
    },
    Unpause {
        #[command(flatten)]
        chain: ChainArgs,
    },
}

/// The new signer key of `register` and `rotate-signer`.
#[derive(clap::Args, Clone, Debug)]
struct SignerKeyArg {
    /// The sequencer node's signer key (hex), which signs the proof of possession; default:
    /// the DSEQ_SIGNER_KEY environment variable.
    #[arg(long, env = "DSEQ_SIGNER_KEY", hide_env_values = true, value_name = "HEX")]
    signer_key: Option<String>,
}

impl SignerKeyArg {
    fn key(&self) -> Result<k256::ecdsa::SigningKey> {
        match &self.signer_key {
            Some(key) => dseq_client::proof::parse_key(key),
            None => anyhow::bail!("give the sequencer's signer key with --signer-key HEX or DSEQ_SIGNER_KEY"),
        }
    }
}

#[derive(Subcommand)]
enum OperatorAction {
    /// Register the sequencer of the signing account (an admitted owner): lock METIS and bind
    /// the signer, proven by the signer key's signature. Approves the pool first if needed.
    Register {
        #[command(flatten)]
        chain: ChainArgs,
        #[command(flatten)]
        signer: SignerKeyArg,
        /// METIS to lock (within the pool's bounds).
        #[arg(long)]
        amount: String,
        /// Who receives the sequencer's rewards (default: the owner).
        #[arg(long, value_name = "ADDRESS")]
        reward_recipient: Option<String>,
    },
    /// Add METIS to the stake (and, with --compound, the sequencer's pending rewards).
    Relock {
        #[command(flatten)]
        chain: ChainArgs,
        /// METIS to add.
        #[arg(long, default_value = "0")]
        amount: String,
        #[arg(long)]
        compound: bool,
    },
    /// Request a partial withdrawal: it leaves the stake now and is claimable after the exit delay.
    Withdraw {
        #[command(flatten)]
        chain: ChainArgs,
        /// METIS to withdraw.
        #[arg(long)]
        amount: String,
    },
    /// Claim what has matured: withdrawal requests, and the exited stake.
    Claim {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// Stop the sequencer: it stops counting now; the stake is claimable after the exit delay.
    Exit {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// Move the sequencer to a new signer key (proven by its signature).
    RotateSigner {
        #[command(flatten)]
        chain: ChainArgs,
        #[command(flatten)]
        signer: SignerKeyArg,
    },
    /// Send the sequencer's future rewards to another address.
    SetRecipient {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(value_name = "ADDRESS")]
        recipient: String,
    },
    /// Set the commission the operator keeps of its paired LST's share of rewards (e.g. 10%
    /// or 1250bps, at most governance's cap); it takes effect after the commission delay, so it
    /// cannot be raised just before a batch.
    SetCommission {
        #[command(flatten)]
        chain: ChainArgs,
        /// The new commission: a percentage (10%, 12.5) or basis points (1250bps).
        #[arg(value_name = "COMMISSION")]
        commission: String,
    },
    /// The signing account's sequencer (or --owner's): stake, signer, withdrawals, exit.
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long, value_name = "ADDRESS")]
        owner: Option<String>,
    },
    /// Sign the signer key's proof of possession for `owner` (what lockFor,
    /// lockWithRewardRecipient and rotateSigner take as `signerProof`), offline: the EIP-712
    /// signature of SignerProof(owner) in the pool's domain. Run it where the signer key lives.
    Proof {
        #[command(flatten)]
        signer: SignerKeyArg,
        /// The sequencer owner the signer will serve (the account that sends the transaction).
        #[arg(long, value_name = "ADDRESS")]
        owner: String,
        /// The pool's address (its proxy).
        #[arg(long, value_name = "ADDRESS")]
        pool: String,
        /// The chain id (412346 for the devnode).
        #[arg(long)]
        chain_id: u64,
    },
}

#[derive(Subcommand)]
enum VotesAction {
    /// Wrap METIS into votes (vMETIS, 1:1). Wrapped METIS votes once delegated.
    Wrap {
        #[command(flatten)]
        chain: ChainArgs,
        /// METIS to wrap.
        #[arg(long)]
        amount: String,
    },
    /// Unwrap votes back into METIS, to the signing account.
    Unwrap {
        #[command(flatten)]
        chain: ChainArgs,
        /// METIS to unwrap.
        #[arg(long)]
        amount: String,
    },
    /// Delegate the signing account's votes (wrapped METIS and locked stake) to an address,
    /// or to itself to vote directly. With --sign-only, sign the delegation instead (EIP-712)
    /// and print it with the command that submits it, so anyone can pay its gas.
    Delegate {
        #[command(flatten)]
        chain: ChainArgs,
        /// The delegate (default: the signing account itself).
        #[arg(long, value_name = "ADDRESS")]
        to: Option<String>,
        /// Only sign: print the typed data, the signature and how to submit it.
        #[arg(long)]
        sign_only: bool,
        /// With --sign-only: how long the signature stays valid, in seconds.
        #[arg(long, default_value_t = 7 * 24 * 3600)]
        valid_for: u64,
        /// With --sign-only and no key: print the typed data this delegator's wallet signs.
        #[arg(long, value_name = "ADDRESS")]
        delegator: Option<String>,
    },
    /// Submit a delegation someone signed (`dseq votes delegate --sign-only` prints this command).
    SubmitDelegation {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long, value_name = "ADDRESS")]
        delegatee: String,
        #[arg(long)]
        nonce: u64,
        #[arg(long)]
        expiry: u64,
        /// The 65-byte signature in hex (r, s, v).
        #[arg(long, value_name = "HEX")]
        signature: String,
    },
    /// An account's METIS, wrapped votes, locked stake, delegate and voting power.
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        /// The account (default: the signing account).
        #[arg(value_name = "ADDRESS")]
        account: Option<String>,
    },
}

#[derive(Subcommand)]
enum GovAction {
    /// Propose calls (each `--call "TARGET SIGNATURE ARGS..."`, TARGET one of pool, votes,
    /// governor, timelock, election, lst, rewards or an address; amounts in wei or with a unit,
    /// e.g. `25000ether`).
    Propose {
        #[command(flatten)]
        chain: ChainArgs,
        /// A call, e.g. --call "pool setLockBounds(uint256,uint256) 25000ether 100000ether"; repeatable.
        #[arg(long = "call", required = true, value_name = "CALL")]
        calls: Vec<String>,
        /// What the proposal does, in words (its first line is its title).
        #[arg(long)]
        description: String,
    },
    /// Deploy CONTRACT's programs anew from ARTIFACTS and propose the upgrade of its proxy to
    /// them (every program of the contract swapped as one unit).
    ProposeUpgrade {
        #[command(flatten)]
        chain: ChainArgs,
        /// locking-pool, metis-votes, governor, timelock, sequencer-election, lst-registry or
        /// reward-distributor.
        contract: String,
        /// The directory of the new programs' `.code` files, e.g. artifacts/v2 from `dseq build
        /// --variant v2`; without it, the current checkout is built and artifacts/ used.
        artifacts: Option<PathBuf>,
        #[arg(long)]
        description: Option<String>,
        /// Use the artifacts already built (skip `dseq build`).
        #[arg(long)]
        no_build: bool,
    },
    /// Vote on a proposal; with --sign-only, sign the ballot (EIP-712) for someone else to submit.
    Vote {
        #[command(flatten)]
        chain: ChainArgs,
        /// The proposal id (as `dseq gov status` shows it).
        id: String,
        /// for, against or abstain.
        #[arg(long)]
        support: String,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        sign_only: bool,
    },
    /// Submit a ballot someone signed (`dseq gov vote --sign-only` prints this command).
    SubmitVote {
        #[command(flatten)]
        chain: ChainArgs,
        id: String,
        #[arg(long)]
        support: String,
        #[arg(long, value_name = "ADDRESS")]
        voter: String,
        #[arg(long, value_name = "HEX")]
        signature: String,
    },
    /// Queue a succeeded proposal in the timelock.
    Queue {
        #[command(flatten)]
        chain: ChainArgs,
        id: String,
    },
    /// Execute a queued proposal whose timelock delay has passed.
    Execute {
        #[command(flatten)]
        chain: ChainArgs,
        id: String,
    },
    /// Proposals with their state, votes, quorum and timeline (or one, with its calls).
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        id: Option<String>,
    },
}

#[derive(Subcommand)]
enum ElectionAction {
    /// Open the next round (anyone may, once it is due and the previous one is closed).
    Open {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// Apply as a candidate in the current round: the signing account is the operator, the
    /// node's signer key signs the candidacy proof.
    Apply {
        #[command(flatten)]
        chain: ChainArgs,
        #[command(flatten)]
        signer: SignerKeyArg,
        /// Where voters read about the operator (at most 256 bytes), e.g. a forum post.
        #[arg(long, default_value = "")]
        metadata: String,
        /// The round (default: the latest).
        #[arg(long)]
        round: Option<u64>,
    },
    /// Vote on candidates of the current round: each `--for`, `--against` or `--abstain`
    /// ADDRESS is one candidate (several in one transaction); with --sign-only, sign the ballot
    /// (one candidate) for someone else to submit.
    Vote {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long = "for", value_name = "CANDIDATE")]
        for_: Vec<String>,
        #[arg(long, value_name = "CANDIDATE")]
        against: Vec<String>,
        #[arg(long, value_name = "CANDIDATE")]
        abstain: Vec<String>,
        #[arg(long)]
        round: Option<u64>,
        #[arg(long)]
        sign_only: bool,
    },
    /// Submit a ballot someone signed (`dseq election vote --sign-only` prints this command).
    SubmitVote {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long, value_name = "ADDRESS")]
        candidate: String,
        /// for, against or abstain.
        #[arg(long)]
        support: String,
        #[arg(long, value_name = "ADDRESS")]
        voter: String,
        #[arg(long, value_name = "HEX")]
        signature: String,
        #[arg(long)]
        round: Option<u64>,
    },
    /// Veto a candidate during vetting (the vetter only).
    Veto {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(value_name = "CANDIDATE")]
        candidate: String,
        #[arg(long)]
        round: Option<u64>,
    },
    /// Finalize an ended round: rank the qualified candidates, admit the top seats to the pool.
    Finalize {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long)]
        round: Option<u64>,
    },
    /// The rules, the latest (or given) round, its candidates with their votes, and what is next.
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long)]
        round: Option<u64>,
    },
}

#[derive(Subcommand)]
enum LstAction {
    /// Propose approving an LST contract under a unique name with a cap on its total delegated
    /// stake (sent directly when the signing account governs the registry).
    Approve {
        #[command(flatten)]
        chain: ChainArgs,
        /// The LST's contract (or the account that acts for it).
        #[arg(long, value_name = "ADDRESS")]
        lst: String,
        /// 1 to 32 bytes, unique among approved LSTs.
        #[arg(long)]
        name: String,
        /// The most METIS it may have delegated in all.
        #[arg(long)]
        cap: String,
        /// Why, in words (after the generated title).
        #[arg(long)]
        description: Option<String>,
    },
    /// Propose a new cap for an LST (below its stake, it only stops new deposits).
    SetCap {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long, value_name = "ADDRESS")]
        lst: String,
        #[arg(long)]
        cap: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Propose a new status: active, paused (no new pairings or stake; withdrawals go on) or
    /// delisted (final: anyone may end its pairings, which unwinds its stake).
    SetStatus {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long, value_name = "ADDRESS")]
        lst: String,
        #[arg(long)]
        status: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Offer a pairing: by the sequencer's operator (to an approved LST) or by the LST.
    Pair {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long)]
        sequencer: String,
        #[arg(long, value_name = "ADDRESS")]
        lst: String,
    },
    /// Accept the pending offer, by the side that did not make it.
    Accept {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long)]
        sequencer: String,
        #[arg(long, value_name = "ADDRESS")]
        lst: String,
    },
    /// End the sequencer's pairing (the LST's stake there enters its queue) or withdraw the
    /// pending offer: by either side, or by anyone once the LST is delisted or the sequencer
    /// stopped.
    Unpair {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long)]
        sequencer: String,
    },
    /// As the paired LST: lock METIS into the sequencer (approves the pool first if needed).
    Deposit {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long)]
        sequencer: String,
        #[arg(long)]
        amount: String,
    },
    /// As the paired LST: move part of its stake in the sequencer into its withdrawal queue.
    Withdraw {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long)]
        sequencer: String,
        #[arg(long)]
        amount: String,
    },
    /// Pay an LST its matured withdrawals (anyone may send it; the METIS goes to the LST).
    Claim {
        #[command(flatten)]
        chain: ChainArgs,
        /// The LST (default: the signing account).
        #[arg(long, value_name = "ADDRESS")]
        lst: Option<String>,
    },
    /// Every approved LST with its status, cap, stake, queue and pairings; or one LST, or one
    /// sequencer's pairing.
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        #[arg(long, value_name = "ADDRESS")]
        lst: Option<String>,
        #[arg(long)]
        sequencer: Option<String>,
        /// Look for pairings among at most this many sequencers.
        #[arg(long, default_value_t = 200)]
        limit: u64,
    },
}

#[derive(Subcommand)]
enum RewardsAction {
    /// Submit the next reward batch (the submitter, Metis's MPC): each `--signer ADDRESS:BLOCKS`
    /// is paid BLOCKS x the reward per block, the total pulled from the reward payer (approved
    /// first when the payer signs). The batch id and first epoch follow the last batch.
    Submit {
        #[command(flatten)]
        chain: ChainArgs,
        /// A sequencer signer and the blocks it produced, e.g. 0x7099...79C8:120; repeatable,
        /// each signer once. Old signers (rotated or exited) are paid too.
        #[arg(long = "signer", required = true, value_name = "ADDRESS:BLOCKS")]
        signers: Vec<String>,
        /// The last epoch the batch covers.
        #[arg(long)]
        end_epoch: u64,
        /// The first epoch (default: where the last batch ended; any other is refused).
        #[arg(long)]
        start_epoch: Option<u64>,
    },
    /// Deposit fee revenue in METIS: for one sequencer, or for a past batch's signers pro rata
    /// to their blocks. Split as rewards are.
    DepositFees {
        #[command(flatten)]
        chain: ChainArgs,
        /// The sequencer the fees are for.
        #[arg(long, conflicts_with = "batch")]
        sequencer: Option<String>,
        /// The batch whose signers share the fees by blocks.
        #[arg(long)]
        batch: Option<u64>,
        /// METIS to deposit.
        #[arg(long)]
        amount: String,
    },
    /// Claim rewards: a sequencer's operator rewards (to its reward recipient; by the owner or
    /// the recipient), the signing LST's (--lst), or the treasury's (--treasury; anyone may).
    Claim {
        #[command(flatten)]
        chain: ChainArgs,
        /// The sequencer (default: the signing account's).
        #[arg(long, conflicts_with_all = ["lst", "treasury"])]
        sequencer: Option<String>,
        /// Claim as the LST the signing account is (settling its sequencers first).
        #[arg(long, conflicts_with = "treasury")]
        lst: bool,
        /// Pay the treasury its balance.
        #[arg(long)]
        treasury: bool,
    },
    /// Move the signing operator's rewards into its stake (relock with compounding).
    Compound {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// The terms, the books (funded = paid + claimable), the last batch, and each sequencer's
    /// pending rewards with their split, claimable balance and commission; each LST's balance.
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        /// Only this sequencer.
        #[arg(long)]
        sequencer: Option<String>,
        /// Show at most this many sequencers.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let root = match cli.root {
        Some(root) => root,
        None => project::find_workspace_root(
            &std::env::current_dir().context("cannot read the current directory")?,
        )?,
    };
    match cli.command {
        Command::Build {
            json,
            contracts,
            compare_opt_levels,
            breakdown,
            variant,
        } => {
            let options = build::BuildOptions {
                contracts,
                compare_opt_levels,
                verbose: true,
                breakdown,
                variant,
            };
            let report = build::build(&root, &options)?;
            if report.rows.is_empty() {
                println!(
                    "no contracts found under {}",
                    root.join(project::CONTRACTS_DIR).display()
                );
            }
            if compare_opt_levels && !report.comparison.is_empty() {
                println!(
                    "{}",
                    build::comparison_table(&report.comparison, &project::OptLevel::ALL)
                );
            }
            for text in &report.breakdowns {
                println!("{text}");
            }
            if !report.rows.is_empty() {
                print!("{}", build::size_table(&report.rows));
                let dir = report.artifacts.first().and_then(|a| a.parent()).map_or_else(|| root.join(build::ARTIFACTS_DIR), std::path::Path::to_path_buf);
                println!("artifacts: {}", dir.display());
            }
            if let Some(path) = json {
                std::fs::write(&path, build::rows_json(&report.rows))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            build::check_limits(&report.rows)
        }
        Command::Devnode { port, chain_id, host } => {
            let config = devnode::ChainConfig { chain_id, ..devnode::ChainConfig::default() };
            let node = devnode::serve(config, std::net::SocketAddr::new(host, port))
                .with_context(|| format!("cannot listen on {host}:{port}; is another node using the port? try --port 0"))?;
            print!("{}", node.banner());
            use std::io::Write as _;
            std::io::stdout().flush().context("cannot write to stdout")?;
            loop {
                std::thread::park();
            }
        }
        Command::Demo { no_build, serve, port } => {
            let serve = serve.then_some(port);
            runtime()?.block_on(dseq::demo::run(&root, no_build, serve)).map(|_| ())
        }
        Command::App { chain, port, host, build_only } => runtime()?.block_on(cmd::app(&root, &chain, std::net::SocketAddr::new(host, port), build_only)),
        Command::Bench { json, sequencers, transfers, no_build } => {
            let options = dseq::gasbench::Options { sequencers, transfers, skip_build: no_build };
            let report = runtime()?.block_on(dseq::gasbench::run(&root, &options))?;
            print!("{}", dseq::gasbench::render(&report));
            if let Some(path) = json {
                std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            Ok(())
        }
        Command::Deploy { chain, config, token, fresh, no_build } => {
            runtime()?.block_on(cmd::deploy(&root, &chain, config, token, fresh, no_build))
        }
        Command::Status { chain, limit } => runtime()?.block_on(cmd::status(&root, &chain, limit)),
        Command::Admin { action } => runtime()?.block_on(cmd::admin(&root, action)),
        Command::Faucet { chain, to, amount } => runtime()?.block_on(cmd::faucet(&root, &chain, &to, &amount)),
        Command::Operator { action } => runtime()?.block_on(cmd::operator(&root, action)),
        Command::Votes { action } => runtime()?.block_on(cmd::votes(&root, action)),
        Command::Gov { action } => runtime()?.block_on(cmd::gov(&root, action)),
        Command::Election { action } => runtime()?.block_on(cmd::election(&root, action)),
        Command::Lst { action } => runtime()?.block_on(cmd::lst(&root, action)),
        Command::Rewards { action } => runtime()?.block_on(cmd::rewards(&root, action)),
        Command::Size { wasm } => {
            for path in wasm {
                let raw = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                let processed = dseq::wasm::process(&raw)
                    .with_context(|| format!("{} is not a wasm module", path.display()))?;
                println!(
                    "{}: {} bytes processed wasm, {} bytes compressed",
                    path.display(),
                    processed.wasm.len(),
                    processed.compressed_len()
                );
            }
            Ok(())
        }
        Command::AbiCheck { contracts } => {
            let diffs = abi::check(&root, &contracts)?;
            for diff in &diffs {
                if diff.is_empty() {
                    println!(
                        "{}: {} matches export-abi",
                        diff.contract,
                        diff.interface.display()
                    );
                }
            }
            if diffs.is_empty() {
                println!(
                    "no contracts found under {}",
                    root.join(project::CONTRACTS_DIR).display()
                );
            }
            abi::ensure_match(&diffs)
        }
    }
}

//! `dseq`: build, measure and check the dseq Stylus contracts. See `dseq --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use dseq::{abi, build, project};

#[derive(Parser)]
#[command(
    name = "dseq",
    version,
    about = "Build, measure and check the dseq Stylus contracts"
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
    /// Measure ERC-20 transfer throughput on an in-process devnode: a Stylus token
    /// (crates/devnode/benches/token, built for wasm32) against forge's MockMetis on revm.
    /// Each transfer is its own signed transaction, decoded and mined as eth_sendRawTransaction
    /// would be (no HTTP). For meaningful numbers: `cargo run --release -p dseq -- bench`.
    Bench {
        /// Transfers per runtime.
        #[arg(long, default_value_t = 2000)]
        transfers: u64,
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
    /// Check that contracts/interfaces/I<Name>.sol declares exactly the functions and errors
    /// the contract's export-abi prints.
    AbiCheck {
        /// Only this contract (package or directory name); repeatable.
        #[arg(long = "contract", value_name = "NAME")]
        contracts: Vec<String>,
    },
}

#[derive(Subcommand)]
enum OperatorAction {
    /// Sign the signer key's proof of possession for `owner` (what lockFor,
    /// lockWithRewardRecipient and rotateSigner take as `signerProof`): the EIP-712 signature
    /// of SignerProof(owner) in the pool's domain. Run it where the signer key lives.
    Proof {
        /// The signer's private key (hex); default: the DSEQ_SIGNER_KEY environment variable.
        #[arg(long, value_name = "HEX")]
        signer_key: Option<String>,
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

fn parse_address(what: &str, text: &str) -> Result<alloy_primitives::Address> {
    text.trim()
        .parse()
        .with_context(|| format!("--{what} {text:?} is not an address: give 20 bytes of hex, 0x-prefixed"))
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
        } => {
            let options = build::BuildOptions {
                contracts,
                compare_opt_levels,
                verbose: true,
                breakdown,
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
                println!("artifacts: {}", root.join(build::ARTIFACTS_DIR).display());
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
        Command::Bench { transfers } => {
            use devnode::bench::{self, TokenCode};
            let evm = TokenCode::evm_built(Some(&root))?;
            eprintln!("building the Stylus token (crates/devnode/benches/token) for wasm32...");
            let stylus = TokenCode::stylus(None)?;
            let mut results = Vec::new();
            for code in [&stylus, &evm] {
                results.push(bench::transfers(code, transfers)?);
            }
            print!("{}", bench::table(&results));
            println!(
                "({} build; every transfer succeeded and returned true; gas/transfer is the mean receipt gasUsed)",
                if cfg!(debug_assertions) { "dev" } else { "release" }
            );
            Ok(())
        }
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
        Command::Operator { action: OperatorAction::Proof { signer_key, owner, pool, chain_id } } => {
            let key_text = match signer_key.or_else(|| std::env::var("DSEQ_SIGNER_KEY").ok()) {
                Some(key) => key,
                None => anyhow::bail!("give the signer key with --signer-key HEX or the DSEQ_SIGNER_KEY environment variable"),
            };
            let key = dseq::operator::parse_key(&key_text)?;
            let proof = dseq::operator::sign_proof(&key, parse_address("owner", &owner)?, parse_address("pool", &pool)?, chain_id)?;
            println!("signer:      {}", proof.signer);
            println!("digest:      {}", proof.digest);
            println!("signerProof: 0x{}", proof.signature.iter().map(|b| format!("{b:02x}")).collect::<String>());
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

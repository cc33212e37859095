//! `devnode [--port N] [--chain-id N] [--host IP]`: a Stylus-capable local chain speaking
//! anvil's JSON-RPC. Prints the endpoint, the dev accounts and keys like anvil, then serves
//! until killed.

use devnode::{serve, ChainConfig};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

const USAGE: &str = "usage: devnode [--port N] [--chain-id N] [--host IP]\n\
  --port N       port to listen on (default 8545; 0 picks a free one)\n\
  --chain-id N   chain id (default 412346, nitro's dev chain)\n\
  --host IP      address to bind (default 127.0.0.1)";

fn main() -> ExitCode {
    let mut port: u16 = 8545;
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut config = ChainConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let result = match flag.as_str() {
            "-p" | "--port" => value("--port").and_then(|v| {
                v.parse()
                    .map(|p| port = p)
                    .map_err(|_| format!("bad port {v:?}"))
            }),
            "--chain-id" => value("--chain-id").and_then(|v| {
                v.parse()
                    .map(|id| config.chain_id = id)
                    .map_err(|_| format!("bad chain id {v:?}"))
            }),
            "--host" => value("--host").and_then(|v| {
                v.parse()
                    .map(|h| host = h)
                    .map_err(|_| format!("bad host {v:?}"))
            }),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument {other:?}")),
        };
        if let Err(e) = result {
            eprintln!("devnode: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let node = match serve(config, SocketAddr::new(host, port)) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("devnode: cannot listen on {host}:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", node.banner());
    use std::io::Write;
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}

//! [`ChainHandle`]: a `Send + Sync + Clone` handle to a [`Chain`] living on its own thread.
//!
//! revm's context holds `Rc`s, so a [`Chain`] cannot move between threads. Servers (the
//! JSON-RPC layer, tests running several clients) talk to it through this handle: each request is
//! a closure run on the chain's thread, one at a time, which also gives the chain the exclusive,
//! ordered access a node needs.

use crate::chain::{Chain, ChainConfig};
use std::sync::mpsc;
use std::thread;

type Job = Box<dyn FnOnce(&mut Chain) + Send>;

/// A handle to a chain running on a dedicated thread. Cloning shares the chain. The thread
/// stops when the last handle is dropped.
#[derive(Clone, Debug)]
pub struct ChainHandle {
    jobs: mpsc::Sender<Job>,
}

/// The request could not be answered: the chain thread is gone or the request panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainGone;

impl std::fmt::Display for ChainGone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the chain thread has stopped")
    }
}

impl std::error::Error for ChainGone {}

impl ChainHandle {
    /// Creates the chain on a new thread (64 MiB stack).
    pub fn spawn(config: ChainConfig) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("devnode-chain".into())
            .stack_size(64 << 20)
            .spawn(move || {
                let mut chain = Chain::new(config);
                for job in queue {
                    // A panic fails that request only (its caller gets `ChainGone`); the chain
                    // keeps serving: state is committed only after a transaction completes and
                    // the next transaction starts from a clean journal.
                    let _ =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut chain)));
                }
            })
            .expect("spawning the chain thread");
        Self { jobs }
    }

    /// Runs `f` on the chain's thread and returns its result.
    pub fn with<R, F>(&self, f: F) -> Result<R, ChainGone>
    where
        R: Send + 'static,
        F: FnOnce(&mut Chain) -> R + Send + 'static,
    {
        let (tx, rx) = mpsc::sync_channel(1);
        self.jobs
            .send(Box::new(move |chain| {
                let _ = tx.send(f(chain));
            }))
            .map_err(|_| ChainGone)?;
        rx.recv().map_err(|_| ChainGone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, U256};

    #[test]
    fn handle_is_shared_and_sendable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ChainHandle>();
        let h = ChainHandle::spawn(ChainConfig::default());
        let who = address!("0000000000000000000000000000000000000123");
        let h2 = h.clone();
        std::thread::spawn(move || h2.with(move |c| c.set_balance(who, U256::from(7))).unwrap())
            .join()
            .unwrap();
        assert_eq!(h.with(move |c| c.balance(who)).unwrap(), U256::from(7));
        assert_eq!(h.with(|c| c.block_number()).unwrap(), 0);
        // a panicking request fails alone; the chain keeps serving
        assert_eq!(h.with(|_| -> u8 { panic!("boom") }), Err(ChainGone));
        assert_eq!(h.with(move |c| c.balance(who)).unwrap(), U256::from(7));
    }
}

//! lst-registry and the pool's delegated stake on the devnode, with a Solidity vault as the LST
//! (`contracts/solidity/MockLstVault.sol`): deployed by `dseq deploy`'s code behind the
//! proxies, driven through `dseq-client`, every refusal read back from real revert data. (Each
//! rule's edges are in `contracts/lst-registry/tests/`, where LSTs are plain accounts.)

mod common;

use common::{fails, metis};

use dseq::lst_vault::{self, IMockLstVault, VaultAssets};
use dseq_client::alloy::primitives::{Address, U256};
use dseq_client::alloy::sol_types::SolCall;
use dseq_client::bindings::{ILockingPool, ILstRegistry, IERC20};
use dseq_client::deploy::DeployConfig;
use dseq_client::lst::{Lsts, Unpairing};
use dseq_client::pool::Pool;
use dseq_client::{Client, Deployment};
use k256::ecdsa::SigningKey;

fn node_key(n: u8) -> SigningKey {
    SigningKey::from_slice(&[0x70 + n; 32]).unwrap()
}

/// A deployed suite with dev account 0 as the pool's admission and the registry's governance
/// (limit: 2 pairings per LST), sequencers 1 to 3 run by dev accounts 1 to 3 with 30,000 METIS
/// each, and `vaults` vaults managed by dev account 4, each holding 100,000 METIS of dev
/// account 5's and approved with a cap of 50,000 METIS.
struct Env {
    _node: devnode::RunningNode,
    client: Client,
    d: Deployment,
    artifacts: dseq_client::Artifacts,
    vaults: Vec<Address>,
}

impl Env {
    async fn new(vaults: usize) -> Self {
        let admin = dseq::session::dev_signers()[0].address();
        let config = DeployConfig { admission: Some(admin), lst_governance: Some(admin), lst_max_pairings: Some(2), ..DeployConfig::default() };
        let (node, client, d, artifacts) = common::suite_with_operators(config, node_key).await;
        let pool = Pool::of(&client, &d).unwrap();
        let (manager, holder, token) = (client.accounts[4], client.accounts[5], pool.token);
        let mut env = Self { _node: node, client, d, artifacts, vaults: Vec::new() };
        for k in 0..vaults {
            let vault = lst_vault::deploy(&env.client, &env.artifacts, &env.d, manager, manager).await.unwrap();
            let call = ILstRegistry::approveLstCall { lst: vault, name: format!("vault {k}"), cap: metis(50_000) };
            env.client.send_call(admin, env.lsts().registry, &call).await.unwrap();
            env.client.send_call(holder, token, &IERC20::mintCall { to: holder, value: metis(100_000) }).await.unwrap();
            env.client.send_call(holder, token, &IERC20::approveCall { spender: vault, value: metis(100_000) }).await.unwrap();
            env.client.send_call(holder, vault, &IMockLstVault::depositCall { amount: metis(100_000) }).await.unwrap();
            env.vaults.push(vault);
        }
        env
    }

    fn lsts(&self) -> Lsts<'_> {
        Lsts::of(&self.client, &self.d).unwrap()
    }

    fn pool(&self) -> Pool<'_> {
        Pool::of(&self.client, &self.d).unwrap()
    }

    fn manager(&self) -> Address {
        self.client.accounts[4]
    }

    fn operator(&self, id: u64) -> Address {
        self.client.accounts[id as usize]
    }

    /// The vault manager makes vault `k` send `call`.
    async fn vault<C: SolCall>(&self, k: usize, call: &C) -> Result<dseq_client::alloy::rpc::types::TransactionReceipt, dseq_client::TxError> {
        self.client.send_call(self.manager(), self.vaults[k], call).await
    }

    /// Governance (dev account 0) sends `call` to the registry.
    async fn govern<C: SolCall>(&self, call: &C) {
        self.client.send_call(self.client.accounts[0], self.lsts().registry, call).await.unwrap();
    }

    async fn assets(&self, k: usize) -> VaultAssets {
        lst_vault::assets(&self.client, self.vaults[k]).await.unwrap()
    }

    async fn metis_of(&self, who: Address) -> U256 {
        IERC20::new(self.d.token().unwrap(), self.client.provider.clone()).balanceOf(who).call().await.unwrap()
    }

    /// The pool holds exactly what it owes: locked (operators' and LSTs') plus queued.
    async fn assert_pool_balanced(&self) {
        let view = self.pool().view(10).await.unwrap();
        assert_eq!(view.token_balance, view.total_locked + view.total_pending_withdrawals, "{view:?}");
    }

    async fn warp_past(&self, at: u64) {
        let now = self.client.latest_block().await.unwrap().1;
        self.client.warp(at.saturating_sub(now) + 1).await.unwrap();
    }
}

/// The vault pairs, delegates up to its cap, withdraws part through its own queue and claims;
/// neither side reaches the other's stake, strangers and an unapproved vault are refused, and
/// the pairing limit holds.
#[tokio::test(flavor = "multi_thread")]
async fn a_vault_pairs_delegates_withdraws_and_claims() {
    let env = Env::new(2).await;
    let (lsts, vault, alice, mallory) = (env.lsts(), env.vaults[0], env.operator(1), env.client.accounts[6]);
    let one = U256::from(1);

    // The vault offers, the operator accepts: one pairing, both sides named.
    let r = env.vault(0, &IMockLstVault::offerPairingCall { sequencerId: one }).await.unwrap();
    let offered = dseq_client::client::events::<ILstRegistry::PairingOffered>(&r, lsts.registry);
    assert_eq!((offered[0].sequencerId, offered[0].lst, offered[0].by), (one, vault, vault));
    let err = fails(lsts.accept(vault, one, vault).await);
    assert!(err.contains("made the offer; the other side accepts it"), "{err}");
    let r = lsts.accept(alice, one, vault).await.unwrap();
    let paired = dseq_client::client::events::<ILstRegistry::Paired>(&r, lsts.registry);
    assert_eq!((paired[0].sequencerId, paired[0].lst), (one, vault));
    let p = lsts.pairing(one).await.unwrap();
    assert_eq!((p.lst, p.operator_stake, p.lst_stake, p.offered_lst), (vault, metis(30_000), U256::ZERO, Address::ZERO));

    // Strangers cannot delegate into the sequencer, nor an unapproved vault pair.
    let err = fails(env.client.send_call(mallory, lsts.pool, &ILockingPool::lockDelegatedCall { sequencerId: one, amount: metis(1) }).await);
    assert!(err.contains(&format!("NotSequencerDelegate(sequencerId: 1, caller: {mallory})")), "{err}");
    let impostor = lst_vault::deploy(&env.client, &env.artifacts, &env.d, mallory, mallory).await.unwrap();
    let err = fails(env.client.send_call(mallory, impostor, &IMockLstVault::offerPairingCall { sequencerId: U256::from(2) }).await);
    assert!(err.contains(&format!("LstNotApproved(lst: {impostor})")), "{err}");

    // Deposits count toward the sequencer and stop at the cap.
    let (pool_before, vault_before) = (env.metis_of(lsts.pool).await, env.metis_of(vault).await);
    let r = env.vault(0, &IMockLstVault::delegateCall { sequencerId: one, amount: metis(30_000) }).await.unwrap();
    let locked = dseq_client::client::events::<ILockingPool::DelegatedStakeLocked>(&r, lsts.pool);
    assert_eq!((locked[0].lst, locked[0].amount, locked[0].lstStake, locked[0].total), (vault, metis(30_000), metis(30_000), metis(120_000)), "total: the pool's");
    assert_eq!(env.metis_of(lsts.pool).await - pool_before, metis(30_000));
    assert_eq!(vault_before - env.metis_of(vault).await, metis(30_000));
    assert_eq!(env.pool().sequencer(one).await.unwrap().amount, metis(30_000), "the operator's own stake did not move");
    let err = fails(env.vault(0, &IMockLstVault::delegateCall { sequencerId: one, amount: metis(20_001) }).await);
    assert!(err.contains(&format!("LstCapExceeded(lst: {vault}, staked: {}, amount: {}, cap: {})", metis(30_000), metis(20_001), metis(50_000))), "{err}");
    let err = fails(lsts.deposit(vault, one, metis(20_001)).await);
    assert!(err.contains("would pass its cap of 50,000 METIS (LstCapExceeded)"), "{err}");

    // Neither side takes the other's stake.
    let err = fails(env.client.send_call(alice, lsts.pool, &ILockingPool::requestWithdrawalCall { sequencerId: one, amount: metis(30_001) }).await);
    assert!(err.contains(&format!("WithdrawalExceedsStake(amount: {}, stake: {})", metis(30_001), metis(30_000))), "{err}");
    let err = fails(env.vault(0, &IMockLstVault::requestWithdrawalCall { sequencerId: one, amount: metis(30_001) }).await);
    assert!(err.contains("WithdrawalExceedsStake"), "{err}");

    // The vault's withdrawal waits the exit delay in its own queue, then anyone claims it for the vault.
    let (request, claimable_at, _) = {
        let r = env.vault(0, &IMockLstVault::requestWithdrawalCall { sequencerId: one, amount: metis(10_000) }).await.unwrap();
        let ev = dseq_client::client::events::<ILockingPool::DelegatedWithdrawalRequested>(&r, lsts.pool).pop().unwrap();
        (ev.requestId, ev.claimableAt, r)
    };
    assert_eq!(request, U256::ZERO);
    assert_eq!(env.assets(0).await, VaultAssets { idle: metis(70_000), staked: metis(20_000), pending: metis(10_000), total: metis(100_000), shares: metis(100_000), rewards: U256::ZERO });
    let err = fails(env.vault(0, &IMockLstVault::claimCall {}).await);
    assert!(err.contains(&format!("NoMaturedDelegatedWithdrawal(lst: {vault}, nextClaimableAt: {claimable_at})")), "{err}");
    env.assert_pool_balanced().await;
    env.warp_past(claimable_at).await;
    let (paid, _) = lsts.claim(mallory, vault).await.unwrap();
    assert_eq!(paid, metis(10_000));
    assert_eq!(env.assets(0).await, VaultAssets { idle: metis(80_000), staked: metis(20_000), pending: U256::ZERO, total: metis(100_000), shares: metis(100_000), rewards: U256::ZERO });

    // A sequencer has one LST; an LST pairs with at most the limit (2).
    let err = fails(env.client.send_call(env.manager(), env.vaults[1], &IMockLstVault::offerPairingCall { sequencerId: one }).await);
    assert!(err.contains(&format!("AlreadyPaired(sequencerId: 1, lst: {vault})")), "{err}");
    for id in [2u64, 3] {
        env.vault(0, &IMockLstVault::offerPairingCall { sequencerId: U256::from(id) }).await.unwrap();
    }
    lsts.accept(env.operator(2), U256::from(2), vault).await.unwrap();
    let err = fails(lsts.accept(env.operator(3), U256::from(3), vault).await);
    assert!(err.contains(&format!("PairingLimitReached(lst: {vault}, pairings: 2, maxPairings: 2)")), "{err}");

    // The view the CLI prints: both pairings, the stake, nothing queued.
    let view = lsts.view(vault, 10).await.unwrap();
    assert_eq!((view.name.as_str(), view.pairings, view.staked, view.pending), ("vault 0", 2, metis(20_000), U256::ZERO));
    assert_eq!(view.sequencers, vec![(1, metis(20_000)), (2, U256::ZERO)]);
    env.assert_pool_balanced().await;
}

/// Pausing stops deposits but not withdrawals; delisting lets anyone unwind; an exit (forced
/// too) queues the LST's stake with the operator's; a vault that reverts on everything blocks
/// neither its operator nor the other vault; and every token comes back.
#[tokio::test(flavor = "multi_thread")]
async fn no_path_strands_an_lsts_stake() {
    let env = Env::new(2).await;
    let (lsts, pool, stranger) = (env.lsts(), env.pool(), env.client.accounts[6]);
    let (a, b) = (env.vaults[0], env.vaults[1]);
    for (k, id) in [(0usize, 1u64), (1, 2)] {
        env.vault(k, &IMockLstVault::offerPairingCall { sequencerId: U256::from(id) }).await.unwrap();
        lsts.accept(env.operator(id), U256::from(id), env.vaults[k]).await.unwrap();
        env.vault(k, &IMockLstVault::delegateCall { sequencerId: U256::from(id), amount: metis(40_000) }).await.unwrap();
    }

    // Paused mid-pairing: no new stake, but withdrawals go on.
    env.govern(&ILstRegistry::setLstStatusCall { lst: a, status: dseq_abi::lst::status::DEPOSITS_PAUSED }).await;
    let err = fails(env.vault(0, &IMockLstVault::delegateCall { sequencerId: U256::from(1), amount: metis(1) }).await);
    assert!(err.contains(&format!("LstDepositsClosed(lst: {a})")), "{err}");
    env.vault(0, &IMockLstVault::requestWithdrawalCall { sequencerId: U256::from(1), amount: metis(5_000) }).await.unwrap();

    // Delisted mid-pairing: a stranger ends the pairing and the rest is queued for the vault.
    env.govern(&ILstRegistry::setLstStatusCall { lst: a, status: dseq_abi::lst::status::DELISTED }).await;
    let (ended, _) = lsts.unpair(stranger, U256::from(1)).await.unwrap();
    let Unpairing::Ended { lst, unwound, claimable_at } = ended else { panic!("{ended:?}") };
    assert_eq!((lst, unwound), (a, metis(35_000)));
    assert_eq!(env.assets(0).await.pending, metis(40_000));
    assert_eq!(lsts.pairing(U256::from(1)).await.unwrap().lst, Address::ZERO);

    // Vault b turns hostile (it reverts on every call it receives); its operator is forced
    // out by the admin with b's stake inside, which enters b's queue with the operator's.
    env.vault(1, &IMockLstVault::setHostileCall { on: true }).await.unwrap();
    let err = fails(env.client.send_call(stranger, b, &IMockLstVault::depositCall { amount: metis(1) }).await);
    let hostile = dseq_client::alloy::hex::encode(<IMockLstVault::Hostile as dseq_client::alloy::sol_types::SolError>::SELECTOR);
    assert!(err.contains(&format!("selector 0x{hostile}")), "{err}");
    let r = env.client.send_call(env.client.accounts[0], pool.address, &ILockingPool::forceUnlockCall { sequencerId: U256::from(2), l2Gas: 0 }).await.unwrap();
    let queued = dseq_client::client::events::<ILockingPool::DelegatedWithdrawalRequested>(&r, pool.address);
    assert_eq!((queued[0].lst, queued[0].sequencerId, queued[0].amount), (b, U256::from(2), metis(40_000)));
    assert_eq!(lsts.pairing(U256::from(2)).await.unwrap().lst_stake, U256::ZERO);
    env.assert_pool_balanced().await;

    // Sequencer 3's operator is untouched by all of it, and exits and claims alone.
    let carol = env.operator(3);
    let (carol_at, _) = pool.exit(carol).await.unwrap();
    let last = claimable_at.unwrap().max(queued[0].claimableAt).max(carol_at);
    env.warp_past(last).await;
    let before = env.metis_of(carol).await;
    pool.unlock_claim(carol, U256::from(3)).await.unwrap();
    assert_eq!(env.metis_of(carol).await - before, metis(30_000));

    // Every queued token is claimable: by the delisted vault itself, and by anyone for the hostile one.
    let r = env.vault(0, &IMockLstVault::claimCall {}).await.unwrap();
    let paid = dseq_client::client::events::<ILockingPool::DelegatedWithdrawalsClaimed>(&r, pool.address).pop().unwrap().amount;
    assert_eq!(paid, metis(40_000));
    let (paid, _) = lsts.claim(stranger, b).await.unwrap();
    assert_eq!(paid, metis(40_000));
    let bob = env.operator(2);
    let before = env.metis_of(bob).await;
    pool.unlock_claim(bob, U256::from(2)).await.unwrap();
    assert_eq!(env.metis_of(bob).await - before, metis(30_000), "the operator got its own stake, not the LST's");
    for k in 0..2 {
        let assets = env.assets(k).await;
        assert_eq!((assets.idle, assets.staked, assets.pending), (metis(100_000), U256::ZERO, U256::ZERO));
    }
    env.assert_pool_balanced().await;
    let account = ILockingPool::new(pool.address, env.client.provider.clone()).lstAccount(b).call().await.unwrap();
    assert_eq!((account.staked, account.pending), (U256::ZERO, U256::ZERO));
}

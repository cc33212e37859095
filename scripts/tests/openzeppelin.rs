//! A contract compiled against OpenZeppelin's own `IGovernor` and `IVotes` (the npm package
//! `@openzeppelin/contracts` 5.7.0, built by forge: `contracts/solidity/OzGovernanceCaller.sol`)
//! drives dseq's governor and metis-votes on the devnode: delegation, the clock, a proposal
//! from propose to execute, and the views a governance front-end reads. Any selector, argument
//! or return layout that differs from OpenZeppelin's makes a call here revert or misread.

mod common;

use dseq_client::alloy::primitives::{keccak256, Bytes, U256};
use dseq_client::alloy::sol;
use dseq_client::alloy::sol_types::{SolCall, SolValue};
use dseq_client::bindings::{IGovernor, ILockingPool, IMetisVotes, IERC20};
use dseq_client::deploy::{self, DeployConfig, RecordOptions};

sol! {
    #[sol(rpc)]
    interface OzGovernanceCaller {
        function delegateToSelf() external;
        function readVotes(uint256 timepoint) external view returns (uint256 current, uint256 past, uint256 pastTotal, address delegatee, uint48 clock, string mode);
        function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) external returns (uint256);
        function castVote(uint256 proposalId, uint8 support) external returns (uint256);
        function queue(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) external returns (uint256);
        function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) external returns (uint256);
        function readProposal(uint256 proposalId) external view returns (uint8 state, uint256 snapshot, uint256 deadline, address proposer, uint256 eta, bool voted);
        function readGovernor() external view returns (string name, string countingMode, uint256 delay, uint256 period, bool isGovernor, bool needsQueuing);
    }
}

fn metis(n: u64) -> U256 {
    U256::from(n) * dseq_abi::locking_pool::METIS
}

#[tokio::test(flavor = "multi_thread")]
async fn an_openzeppelin_integration_runs_a_proposal_through_dseq() {
    let root = common::root();
    let artifacts = dseq::session::artifacts(&root, false, false).expect("build");
    let (_node, client) = dseq::session::embedded_chain(Vec::new()).await.unwrap();
    let config = DeployConfig { admission: Some(client.accounts[0]), ..DeployConfig::default() };
    let (d, _) = deploy::deploy(&client, &artifacts, &config, &RecordOptions::default(), &mut |_| {}).await.unwrap();
    let (admin, holder) = (d.deployer, client.accounts[1]);
    let (governor, votes, pool) = (d.governor().unwrap(), d.votes().unwrap(), d.pool().unwrap());
    let code = artifacts.forge("OzGovernanceCaller", "OzGovernanceCaller").unwrap();
    let (caller, _) = client.deploy_evm(admin, &code, &(governor, votes).abi_encode_params()).await.unwrap();
    let member = OzGovernanceCaller::new(caller, client.provider.clone());

    // The holder wraps 5,000 METIS for the member contract, which delegates to itself.
    client.send_call(holder, d.token().unwrap(), &IERC20::mintCall { to: holder, value: metis(5_000) }).await.unwrap();
    client.send_call(holder, d.token().unwrap(), &IERC20::approveCall { spender: votes, value: U256::MAX }).await.unwrap();
    client.send_call(holder, votes, &IMetisVotes::depositForCall { account: caller, value: metis(5_000) }).await.unwrap();
    client.send_call(admin, caller, &OzGovernanceCaller::delegateToSelfCall {}).await.unwrap();
    client.warp(10).await.unwrap();
    let now = client.latest_block().await.unwrap().1;
    let v = member.readVotes(U256::from(now - 1)).call().await.unwrap();
    assert_eq!((v.current, v.past, v.pastTotal, v.delegatee), (metis(5_000), metis(5_000), metis(5_000), caller));
    assert_eq!((v.clock.to::<u64>(), v.mode.as_str()), (now, "mode=timestamp"));

    let g = member.readGovernor().call().await.unwrap();
    assert_eq!((g.name.as_str(), g.countingMode.as_str()), ("dseq Governor", "support=bravo&quorum=for,abstain"));
    assert_eq!((g.delay, g.period), (U256::from(24 * 3600), U256::from(7 * 24 * 3600)));
    assert!(g.isGovernor, "supportsInterface(type(IGovernor).interfaceId)");
    assert!(g.needsQueuing);

    // A proposal from the member: the timelock accepts the pool's admin role.
    let targets = vec![pool];
    let values = vec![U256::ZERO];
    let calldatas = vec![Bytes::from(ILockingPool::acceptDefaultAdminTransferCall {}.abi_encode())];
    let description = "Accept the pool's admin role".to_string();
    let propose = OzGovernanceCaller::proposeCall { targets: targets.clone(), values: values.clone(), calldatas: calldatas.clone(), description: description.clone() };
    let r = client.send_call(admin, caller, &propose).await.unwrap();
    let created = dseq_client::client::events::<IGovernor::ProposalCreated>(&r, governor).pop().expect("ProposalCreated");
    let id = created.proposalId;
    assert_eq!(created.proposer, caller);
    let p = member.readProposal(id).call().await.unwrap();
    assert_eq!((p.state, p.proposer, p.voted), (0, caller, false), "Pending");
    assert_eq!(p.deadline - p.snapshot, U256::from(7 * 24 * 3600));

    client.warp(24 * 3600 + 1).await.unwrap();
    let r = client.send_call(admin, caller, &OzGovernanceCaller::castVoteCall { proposalId: id, support: 1 }).await.unwrap();
    let cast = dseq_client::client::events::<IGovernor::VoteCast>(&r, governor).pop().expect("VoteCast");
    assert_eq!((cast.voter, cast.support, cast.weight, cast.reason.as_str()), (caller, 1, metis(5_000), "from an OpenZeppelin integration"));
    let p = member.readProposal(id).call().await.unwrap();
    assert_eq!((p.state, p.voted), (1, true), "Active, voted");

    client.warp(7 * 24 * 3600 + 1).await.unwrap();
    assert_eq!(member.readProposal(id).call().await.unwrap().state, 4, "Succeeded");
    let hash = keccak256(description.as_bytes());
    let queue = OzGovernanceCaller::queueCall { targets: targets.clone(), values: values.clone(), calldatas: calldatas.clone(), descriptionHash: hash };
    client.send_call(admin, caller, &queue).await.unwrap();
    let p = member.readProposal(id).call().await.unwrap();
    assert_eq!(p.state, 5, "Queued");
    assert!(p.eta > U256::ZERO);
    client.warp(2 * 24 * 3600 + 1).await.unwrap();
    let execute = OzGovernanceCaller::executeCall { targets, values, calldatas, descriptionHash: hash };
    client.send_call(admin, caller, &execute).await.unwrap();
    assert_eq!(member.readProposal(id).call().await.unwrap().state, 7, "Executed");
    let default_admin = ILockingPool::new(pool, client.provider.clone()).defaultAdmin().call().await.unwrap();
    assert_eq!(default_admin, d.timelock().unwrap());
}

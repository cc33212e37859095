// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title OzGovernanceCaller
/// @notice A member contract written only against OpenZeppelin's own `IGovernor` and `IVotes`
/// interfaces (the npm package), as a governance integration would be: it delegates its
/// votes, proposes, votes, queues and executes, and reads what a front-end reads. A test drives
/// it against dseq's governor and metis-votes, so any selector, argument or return layout that
/// differs from OpenZeppelin's fails there.
contract OzGovernanceCaller {
    IGovernor public immutable governor;
    IVotes public immutable votes;

    constructor(IGovernor governor_, IVotes votes_) {
        governor = governor_;
        votes = votes_;
    }

    /// Delegates this contract's votes to itself.
    function delegateToSelf() external {
        votes.delegate(address(this));
    }

    /// What a front-end reads of the token: votes now and at `timepoint`, total at
    /// `timepoint`, the delegate, and the clock.
    function readVotes(uint256 timepoint)
        external
        view
        returns (uint256 current, uint256 past, uint256 pastTotal, address delegatee, uint48 clock, string memory mode)
    {
        current = votes.getVotes(address(this));
        past = votes.getPastVotes(address(this), timepoint);
        pastTotal = votes.getPastTotalSupply(timepoint);
        delegatee = votes.delegates(address(this));
        clock = IERC6372(address(votes)).clock();
        mode = IERC6372(address(votes)).CLOCK_MODE();
    }

    function propose(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, string memory description)
        external
        returns (uint256 proposalId)
    {
        proposalId = governor.propose(targets, values, calldatas, description);
        require(proposalId == governor.hashProposal(targets, values, calldatas, keccak256(bytes(description))), "id");
    }

    function castVote(uint256 proposalId, uint8 support) external returns (uint256) {
        return governor.castVoteWithReason(proposalId, support, "from an OpenZeppelin integration");
    }

    function queue(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        external
        returns (uint256)
    {
        return governor.queue(targets, values, calldatas, descriptionHash);
    }

    function execute(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        external
        returns (uint256)
    {
        return governor.execute(targets, values, calldatas, descriptionHash);
    }

    /// What a front-end reads of a proposal.
    function readProposal(uint256 proposalId)
        external
        view
        returns (IGovernor.ProposalState state, uint256 snapshot, uint256 deadline, address proposer, uint256 eta, bool voted)
    {
        state = governor.state(proposalId);
        snapshot = governor.proposalSnapshot(proposalId);
        deadline = governor.proposalDeadline(proposalId);
        proposer = governor.proposalProposer(proposalId);
        eta = governor.proposalEta(proposalId);
        voted = governor.hasVoted(proposalId, address(this));
    }

    /// What a front-end reads of the governor itself.
    function readGovernor()
        external
        view
        returns (string memory name, string memory countingMode, uint256 delay, uint256 period, bool isGovernor, bool needsQueuing)
    {
        name = governor.name();
        countingMode = governor.COUNTING_MODE();
        delay = governor.votingDelay();
        period = governor.votingPeriod();
        isGovernor = IERC165(address(governor)).supportsInterface(type(IGovernor).interfaceId);
        needsQueuing = governor.proposalNeedsQueuing(0);
    }
}

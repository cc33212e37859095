//! The program table: where the entry program finds programs 1..N, and how a set is installed.
//!
//! Slot `TABLE_SLOT + j` of the proxy's storage holds program j's address in its low 20 bytes
//! and the first 12 bytes of the entry's build id in its high 12 bytes. `TABLE_SLOT` is the
//! ERC-7201 location of the namespace `dseq.programs`, so it cannot collide with a contract's
//! own `#[storage]` fields (which start at slot 0) or with the ERC-1967 slots.

use alloc::vec::Vec;

use alloy_primitives::{b256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use dseq_kit::abi::ToField;
use stylus_sdk::{call::RawCall, prelude::*};

use crate::{Contract, Programs};

/// `keccak256(abi.encode(uint256(keccak256("dseq.programs")) - 1)) & ~bytes32(uint256(0xff))`.
pub const TABLE_SLOT: B256 = b256!("9697f0f9ea124001cb2415fd654019a2e53b6ccef20005b4df71ccabc5da4700");

sol! {
    /// Program `index` of build `build` is now served from `program`.
    #[derive(Debug)]
    event ProgramInstalled(uint256 indexed index, address indexed program, bytes32 build);

    /// The entry program (build `build`) has no program set installed: the proxy was upgraded
    /// without `installPrograms`, or the contract was never initialized.
    #[derive(Debug)]
    error ProgramsNotInstalled(bytes32 build);
    /// `installPrograms` takes exactly one address per program after the entry.
    #[derive(Debug)]
    error ProgramCountMismatch(uint256 expected, uint256 given);
    /// The address given for program `index` has no code.
    #[derive(Debug)]
    error ProgramHasNoCode(uint256 index, address program);
    /// The address given for program `index` does not declare itself program `index` of build
    /// `expectedBuild` (`dseqProgram()` answered `build`, `answeredIndex`, or nothing).
    #[derive(Debug)]
    error ProgramMismatch(uint256 index, address program, bytes32 expectedBuild, bytes32 build, uint256 answeredIndex);

    /// Answered by every program of a dseq contract.
    interface IProgram {
        function dseqProgram() external view returns (bytes32 build, uint256 index, uint256 programs);
    }
}

/// Failures of the program table.
#[derive(Debug)]
pub enum Error {
    NotInstalled(ProgramsNotInstalled),
    CountMismatch(ProgramCountMismatch),
    NoCode(ProgramHasNoCode),
    Mismatch(ProgramMismatch),
}

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Self {
        use dseq_kit::abi::{error_data, SolError};
        match err {
            Error::NotInstalled(e) => error_data(ProgramsNotInstalled::SELECTOR, &[e.build.to_field()]),
            Error::CountMismatch(e) => {
                error_data(ProgramCountMismatch::SELECTOR, &[e.expected.to_field(), e.given.to_field()])
            }
            Error::NoCode(e) => error_data(ProgramHasNoCode::SELECTOR, &[e.index.to_field(), e.program.to_field()]),
            Error::Mismatch(e) => error_data(
                ProgramMismatch::SELECTOR,
                &[
                    e.index.to_field(),
                    e.program.to_field(),
                    e.expectedBuild.to_field(),
                    e.build.to_field(),
                    e.answeredIndex.to_field(),
                ],
            ),
        }
    }
}

fn slot(index: usize) -> U256 {
    U256::from_be_bytes(TABLE_SLOT.0) + U256::from(index)
}

fn tag<S: Contract>() -> [u8; 12] {
    let mut tag = [0u8; 12];
    tag.copy_from_slice(&S::BUILD[..12]);
    tag
}

/// The address installed for program `index` of `S`'s build.
#[inline(never)]
pub fn program<S: Contract, H: Host + ?Sized>(host: &H, index: usize) -> Result<Address, Error> {
    let word = host.storage_load_bytes32(slot(index));
    if word[..12] != tag::<S>() {
        return Err(Error::NotInstalled(ProgramsNotInstalled { build: B256::from(S::BUILD) }));
    }
    Ok(Address::from_slice(&word[12..]))
}

/// The installed programs 1..N of `S`'s build (zero addresses when none is installed).
pub fn programs<S: Contract + Programs, H: Host + ?Sized>(host: &H) -> Vec<Address> {
    (1..S::COUNT).map(|index| program::<S, H>(host, index).unwrap_or(Address::ZERO)).collect()
}

/// Installs `addresses` as programs 1..N after checking that each has code and declares itself
/// that program of `S`'s build. Emits `ProgramInstalled` for each. The caller checks who may.
pub fn install<S: Contract + Programs, H: Host + ?Sized>(host: &H, addresses: &[Address]) -> Result<(), Error> {
    let expected = S::COUNT - 1;
    if addresses.len() != expected {
        return Err(Error::CountMismatch(ProgramCountMismatch {
            expected: U256::from(expected),
            given: U256::from(addresses.len()),
        }));
    }
    let build = B256::from(S::BUILD);
    for (i, &address) in addresses.iter().enumerate() {
        let index = i + 1;
        if host.code_size(address) == 0 {
            return Err(Error::NoCode(ProgramHasNoCode { index: U256::from(index), program: address }));
        }
        let answer = unsafe { RawCall::new_static(host).call(address, &IProgram::dseqProgramCall {}.abi_encode()) };
        let (answered_build, answered_index) = match answer.as_deref().map(|out| {
            (crate::abi::Decode::decode(out, 0), crate::abi::Decode::decode(out, 32))
        }) {
            Ok((Some(b), Some(i))) => (b, i),
            _ => (B256::ZERO, U256::ZERO),
        };
        if answered_build != build || answered_index != U256::from(index) {
            return Err(Error::Mismatch(ProgramMismatch {
                index: U256::from(index),
                program: address,
                expectedBuild: build,
                build: answered_build,
                answeredIndex: answered_index,
            }));
        }
    }
    let tag = tag::<S>();
    for (i, &address) in addresses.iter().enumerate() {
        let mut word = [0u8; 32];
        word[..12].copy_from_slice(&tag);
        word[12..].copy_from_slice(address.as_slice());
        // SAFETY: a raw slot of this crate's namespace; no storage handle aliases it.
        unsafe { host.storage_cache_bytes32(slot(i + 1), B256::from(word)) };
        dseq_kit::emit!(host, ProgramInstalled { indexed: [U256::from(i + 1), address], data: [build] });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;
    use alloy_sol_types::SolValue;

    #[test]
    fn table_slot_is_the_erc7201_location_of_the_namespace() {
        let inner = U256::from_be_bytes(keccak256(b"dseq.programs").0) - U256::from(1);
        let mut location = keccak256(inner.abi_encode()).0;
        location[31] = 0;
        assert_eq!(TABLE_SLOT, B256::from(location));
    }
}

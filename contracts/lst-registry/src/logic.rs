//! The registry's logic: the checks on names, caps, statuses and limits as plain functions that
//! tests reach without a VM ([`name_word`], [`check_cap`], [`check_changeable`], [`check_status_change`],
//! [`check_max_pairings`], [`may_end_pairing`]), then the methods that read storage, ask the
//! pool about the sequencer, call them and write the outcome.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256, U32, U64, U8};
use alloy_sol_types::SolCall;
use dseq_abi::{
    locking_pool::{ILockingPool, Status},
    lst::{status, ILstRegistry::*, MAX_CAP, MAX_NAME_BYTES, MAX_PAIRINGS_LIMIT},
};
use dseq_kit::{
    abi::{call_data, ToField},
    emit, store,
};
use stylus_sdk::{
    call::{call, static_call},
    prelude::*,
};

use crate::{Error, LstRegistry, Revert};

// ==================================================================================== pure rules

/// A name as the word it is stored in: 1 to 32 bytes, zero-padded on the right. (Text with a
/// NUL byte is refused too: it could not be told from the padding.)
pub fn name_word(name: &str) -> Result<B256, Error> {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NAME_BYTES || bytes.contains(&0) {
        return Err(Error::InvalidLstName(InvalidLstName {
            length: U256::from(bytes.len()),
            maxLength: U256::from(MAX_NAME_BYTES),
        }));
    }
    let mut word = [0u8; 32];
    word[..bytes.len()].copy_from_slice(bytes);
    Ok(B256::from(word))
}

/// The name a stored word holds (its bytes up to the padding).
pub fn name_text(word: B256) -> String {
    let end = word.iter().position(|b| *b == 0).unwrap_or(32);
    String::from_utf8_lossy(&word[..end]).into_owned()
}

/// A cap fits the pool's 96 bits.
pub fn check_cap(cap: U256) -> Result<(), Error> {
    if cap > MAX_CAP {
        return Err(Error::InvalidLstCap(InvalidLstCap { cap, maxCap: MAX_CAP }));
    }
    Ok(())
}

/// Governance may change an LST's terms once it is approved, and until it is delisted.
pub fn check_changeable(lst: Address, current: u8) -> Result<(), Error> {
    if current == status::NONE {
        return Err(Error::LstNotApproved(LstNotApproved { lst }));
    }
    if current == status::DELISTED {
        return Err(Error::LstIsDelisted(LstIsDelisted { lst }));
    }
    Ok(())
}

/// An approved LST's status may change to any valid status, except out of Delisted.
pub fn check_status_change(lst: Address, current: u8, next: u8) -> Result<(), Error> {
    check_changeable(lst, current)?;
    if !matches!(next, status::ACTIVE | status::DEPOSITS_PAUSED | status::DELISTED) {
        return Err(Error::InvalidLstStatus(InvalidLstStatus { status: next }));
    }
    Ok(())
}

/// The pairing limit is between 1 and [`MAX_PAIRINGS_LIMIT`].
pub fn check_max_pairings(max_pairings: u32) -> Result<(), Error> {
    if max_pairings == 0 || max_pairings > MAX_PAIRINGS_LIMIT {
        return Err(Error::InvalidMaxPairings(InvalidMaxPairings { maxPairings: max_pairings, limit: MAX_PAIRINGS_LIMIT }));
    }
    Ok(())
}

/// Who may end a pairing: either side always; anyone once the LST is delisted or the sequencer
/// is no longer Active (an exited sequencer, whose pairing only holds a pairing slot).
pub fn may_end_pairing(caller: Address, operator: Address, lst: Address, lst_status: u8, sequencer_status: u8) -> bool {
    caller == operator || caller == lst || lst_status == status::DELISTED || sequencer_status != Status::Active as u8
}

/// The LST may pair or be offered a pairing: approved and Active.
pub fn check_pairable(lst: Address, lst_status: u8) -> Result<(), Error> {
    match lst_status {
        status::ACTIVE => Ok(()),
        status::NONE => Err(Error::LstNotApproved(LstNotApproved { lst })),
        other => Err(Error::LstNotActive(LstNotActive { lst, status: other })),
    }
}

/// A sequencer as the pool reports it (`delegation(sequencerId)`).
pub struct Sequencer {
    pub operator: Address,
    pub status: u8,
}

// ==================================================================================== the registry

impl LstRegistry {
    pub fn setup(&mut self, governance: Address, pool: Address, max_pairings: u32) -> Result<(), Error> {
        if governance.is_zero() || pool.is_zero() {
            return Err(Error::InvalidSetup(InvalidSetup { governance, pool }));
        }
        self.governance.set(governance);
        self.pool.set(pool);
        self.apply_max_pairings(max_pairings)
    }

    /// The caller must be governance (the timelock).
    pub fn only_governance(&self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != self.governance.get() {
            return Err(Error::NotGovernance(NotGovernance { caller }));
        }
        Ok(())
    }

    pub fn apply_max_pairings(&mut self, max_pairings: u32) -> Result<(), Error> {
        check_max_pairings(max_pairings)?;
        let previous = store::u32(&self.max_pairings_per_lst);
        self.max_pairings_per_lst.set(U32::from(max_pairings));
        emit!(self.vm(), MaxPairingsChanged { indexed: [], data: [previous, max_pairings] });
        Ok(())
    }

    // ------------------------------------------------------------------------ governance

    pub fn approve(&mut self, lst: Address, name: &str, cap: U256) -> Result<(), Revert> {
        let current = store::u8(&self.lsts.getter(lst).status);
        if current != status::NONE {
            return Err(Error::LstAlreadyApproved(LstAlreadyApproved { lst, status: current }).into());
        }
        let word = name_word(name)?;
        let holder = self.names.get(word);
        if !holder.is_zero() {
            return Err(Error::LstNameTaken(LstNameTaken { name: word, holder }).into());
        }
        check_cap(cap)?;
        if lst.is_zero() {
            return Err(Error::LstNotApproved(LstNotApproved { lst }).into());
        }
        let index = store::u32(&self.lst_count);
        self.lst_count.set(U32::from(index + 1));
        self.lst_list.setter(U256::from(index)).set(lst);
        self.names.setter(word).set(lst);
        let now = self.vm().block_timestamp();
        let mut entry = self.lsts.setter(lst);
        entry.status.set(U8::from(status::ACTIVE));
        store::set_u96(&mut entry.cap, cap);
        entry.approved_at.set(U64::from(now));
        entry.name.set(word);
        emit!(self.vm(), LstApproved { indexed: [lst], data: [String::from(name), cap] });
        self.tell_terms(lst, cap, true)
    }

    pub fn change_cap(&mut self, lst: Address, cap: U256) -> Result<(), Revert> {
        let entry = self.lsts.getter(lst);
        let (current, previous) = (store::u8(&entry.status), store::u96(&entry.cap));
        drop(entry);
        check_changeable(lst, current)?;
        check_cap(cap)?;
        store::set_u96(&mut self.lsts.setter(lst).cap, cap);
        emit!(self.vm(), LstCapChanged { indexed: [lst], data: [previous, cap] });
        self.tell_terms(lst, cap, current == status::ACTIVE)
    }

    pub fn change_status(&mut self, lst: Address, next: u8) -> Result<(), Revert> {
        let entry = self.lsts.getter(lst);
        let (current, cap) = (store::u8(&entry.status), store::u96(&entry.cap));
        drop(entry);
        check_status_change(lst, current, next)?;
        self.lsts.setter(lst).status.set(U8::from(next));
        emit!(self.vm(), LstStatusChanged { indexed: [lst], data: [current, next] });
        self.tell_terms(lst, cap, next == status::ACTIVE)
    }

    // ------------------------------------------------------------------------ pairing

    /// Records the caller's offer: the operator's to `lst`, or `lst`'s to the sequencer.
    pub fn offer(&mut self, sequencer_id: U256, lst: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        check_pairable(lst, store::u8(&self.lsts.getter(lst).status))?;
        let seq = self.sequencer(sequencer_id)?;
        if caller != seq.operator && caller != lst {
            return Err(Error::NotPairingParty(NotPairingParty { sequencerId: sequencer_id, lst, caller }).into());
        }
        self.require_unpaired(sequencer_id, &seq)?;
        let mut p = self.pairings.setter(sequencer_id);
        p.offered_lst.set(lst);
        p.offered_by.set(caller);
        emit!(self.vm(), PairingOffered { indexed: [sequencer_id, lst, caller], data: [] });
        Ok(())
    }

    /// Pairs the sequencer with `lst` if the other side offered it and both still qualify.
    pub fn accept(&mut self, sequencer_id: U256, lst: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        let seq = self.sequencer(sequencer_id)?;
        let p = self.pairings.getter(sequencer_id);
        let (offered_lst, offered_by) = (p.offered_lst.get(), p.offered_by.get());
        drop(p);
        // The offer stands only while its maker is still a party: an operator's offer lapses
        // when the sequencer changes hands.
        let accepts = (offered_by == seq.operator && caller == lst) || (offered_by == lst && caller == seq.operator);
        if lst.is_zero() || offered_lst != lst || !accepts {
            return Err(Error::NoPairingOffer(NoPairingOffer { sequencerId: sequencer_id, lst }).into());
        }
        let entry = self.lsts.getter(lst);
        let (lst_status, pairings) = (store::u8(&entry.status), store::u32(&entry.pairings));
        drop(entry);
        check_pairable(lst, lst_status)?;
        self.require_unpaired(sequencer_id, &seq)?;
        let max_pairings = store::u32(&self.max_pairings_per_lst);
        if pairings >= max_pairings {
            return Err(Error::PairingLimitReached(PairingLimitReached { lst, pairings, maxPairings: max_pairings }).into());
        }
        self.lsts.setter(lst).pairings.set(U32::from(pairings + 1));
        let now = self.vm().block_timestamp();
        let mut p = self.pairings.setter(sequencer_id);
        p.lst.set(lst);
        p.paired_at.set(U64::from(now));
        p.offered_lst.set(Address::ZERO);
        p.offered_by.set(Address::ZERO);
        emit!(self.vm(), Paired { indexed: [sequencer_id, lst], data: [] });
        self.tell_delegate(sequencer_id, lst)
    }

    /// Ends the pairing (the pool unwinds the LST's stake) or withdraws the pending offer.
    pub fn end_pairing(&mut self, sequencer_id: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        let seq = self.sequencer(sequencer_id)?;
        let p = self.pairings.getter(sequencer_id);
        let (lst, offered_lst) = (p.lst.get(), p.offered_lst.get());
        drop(p);
        if lst.is_zero() {
            if offered_lst.is_zero() {
                return Err(Error::NotPaired(NotPaired { sequencerId: sequencer_id }).into());
            }
            if caller != seq.operator && caller != offered_lst {
                return Err(Error::NotPairingParty(NotPairingParty { sequencerId: sequencer_id, lst: offered_lst, caller }).into());
            }
            let mut p = self.pairings.setter(sequencer_id);
            p.offered_lst.set(Address::ZERO);
            p.offered_by.set(Address::ZERO);
            emit!(self.vm(), PairingOfferWithdrawn { indexed: [sequencer_id, offered_lst, caller], data: [] });
            return Ok(());
        }
        let entry = self.lsts.getter(lst);
        let (lst_status, pairings) = (store::u8(&entry.status), store::u32(&entry.pairings));
        drop(entry);
        if !may_end_pairing(caller, seq.operator, lst, lst_status, seq.status) {
            return Err(Error::NotPairingParty(NotPairingParty { sequencerId: sequencer_id, lst, caller }).into());
        }
        // `pairings >= 1`: this pairing is one of them.
        self.lsts.setter(lst).pairings.set(U32::from(pairings - 1));
        let mut p = self.pairings.setter(sequencer_id);
        p.lst.set(Address::ZERO);
        p.paired_at.set(U64::ZERO);
        emit!(self.vm(), Unpaired { indexed: [sequencer_id, lst, caller], data: [] });
        self.tell_delegate(sequencer_id, Address::ZERO)
    }

    /// The sequencer has no pairing and is Active.
    fn require_unpaired(&self, sequencer_id: U256, seq: &Sequencer) -> Result<(), Error> {
        if seq.status != Status::Active as u8 {
            return Err(Error::SequencerNotActive(SequencerNotActive { sequencerId: sequencer_id, status: seq.status }));
        }
        let paired = self.pairings.getter(sequencer_id).lst.get();
        if !paired.is_zero() {
            return Err(Error::AlreadyPaired(AlreadyPaired { sequencerId: sequencer_id, lst: paired }));
        }
        Ok(())
    }

    // ------------------------------------------------------------------------ the pool

    /// The sequencer's operator and status, from the pool (`delegation`); its revert passes through.
    fn sequencer(&self, sequencer_id: U256) -> Result<Sequencer, Revert> {
        let data = call_data(ILockingPool::delegationCall::SELECTOR, &[sequencer_id.to_field()]);
        let out = static_call(self.vm(), Call::new(), self.pool.get(), &data).map_err(Vec::<u8>::from)?;
        let word = |i: usize| out.get(32 * i..32 * (i + 1)).map(U256::from_be_slice).unwrap_or_default();
        Ok(Sequencer { operator: Address::from_word(word(0).into()), status: word(1).saturating_to() })
    }

    fn tell_delegate(&mut self, sequencer_id: U256, lst: Address) -> Result<(), Revert> {
        let data = call_data(ILockingPool::setDelegateCall::SELECTOR, &[sequencer_id.to_field(), lst.to_field()]);
        self.call_pool(&data)
    }

    fn tell_terms(&mut self, lst: Address, cap: U256, open: bool) -> Result<(), Revert> {
        let data = call_data(ILockingPool::setLstTermsCall::SELECTOR, &[lst.to_field(), cap.to_field(), open.to_field()]);
        self.call_pool(&data)
    }

    #[inline(never)]
    fn call_pool(&mut self, data: &[u8]) -> Result<(), Revert> {
        let pool = self.pool.get();
        let ctx = Call::new_mutating(self);
        call(self.vm(), ctx, pool, data).map_err(Vec::<u8>::from)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(byte: u8) -> Address {
        Address::repeat_byte(byte)
    }

    #[test]
    fn names_are_one_to_32_bytes_without_nul() {
        assert_eq!(name_text(name_word("Artemis").unwrap()), "Artemis");
        let longest = "x".repeat(32);
        assert_eq!(name_text(name_word(&longest).unwrap()), longest);
        for bad in ["", &"x".repeat(33), "a\0b"] {
            match name_word(bad) {
                Err(Error::InvalidLstName(e)) => {
                    assert_eq!(e.length, U256::from(bad.len()));
                    assert_eq!(e.maxLength, U256::from(32));
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn caps_fit_96_bits() {
        assert!(check_cap(MAX_CAP).is_ok());
        assert!(check_cap(U256::ZERO).is_ok());
        match check_cap(MAX_CAP + U256::from(1)) {
            Err(Error::InvalidLstCap(e)) => assert_eq!((e.cap, e.maxCap), (MAX_CAP + U256::from(1), MAX_CAP)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn delisting_is_final_and_statuses_are_checked() {
        let lst = a(1);
        assert!(check_status_change(lst, status::ACTIVE, status::DEPOSITS_PAUSED).is_ok());
        assert!(check_status_change(lst, status::DEPOSITS_PAUSED, status::ACTIVE).is_ok());
        assert!(check_status_change(lst, status::ACTIVE, status::DELISTED).is_ok());
        assert!(matches!(check_status_change(lst, status::DELISTED, status::ACTIVE), Err(Error::LstIsDelisted(e)) if e.lst == lst));
        assert!(matches!(check_status_change(lst, status::NONE, status::ACTIVE), Err(Error::LstNotApproved(e)) if e.lst == lst));
        for bad in [0u8, 4, 255] {
            assert!(matches!(check_status_change(lst, status::ACTIVE, bad), Err(Error::InvalidLstStatus(e)) if e.status == bad));
        }
    }

    #[test]
    fn the_pairing_limit_is_bounded() {
        assert!(check_max_pairings(1).is_ok());
        assert!(check_max_pairings(MAX_PAIRINGS_LIMIT).is_ok());
        for bad in [0, MAX_PAIRINGS_LIMIT + 1] {
            assert!(matches!(check_max_pairings(bad), Err(Error::InvalidMaxPairings(e)) if e.maxPairings == bad));
        }
    }

    #[test]
    fn only_the_parties_end_a_live_pairing_unless_it_lost_its_reason() {
        let (operator, lst, stranger) = (a(1), a(2), a(3));
        let active = Status::Active as u8;
        assert!(may_end_pairing(operator, operator, lst, status::ACTIVE, active));
        assert!(may_end_pairing(lst, operator, lst, status::ACTIVE, active));
        assert!(!may_end_pairing(stranger, operator, lst, status::ACTIVE, active));
        assert!(!may_end_pairing(stranger, operator, lst, status::DEPOSITS_PAUSED, active));
        assert!(may_end_pairing(stranger, operator, lst, status::DELISTED, active));
        assert!(may_end_pairing(stranger, operator, lst, status::ACTIVE, Status::Inactive as u8));
        assert!(may_end_pairing(stranger, operator, lst, status::ACTIVE, Status::Unlocked as u8));
    }

    #[test]
    fn only_active_lsts_pair() {
        let lst = a(9);
        assert!(check_pairable(lst, status::ACTIVE).is_ok());
        assert!(matches!(check_pairable(lst, status::NONE), Err(Error::LstNotApproved(e)) if e.lst == lst));
        for s in [status::DEPOSITS_PAUSED, status::DELISTED] {
            assert!(matches!(check_pairable(lst, s), Err(Error::LstNotActive(e)) if e.status == s));
        }
    }
}

; assure rule instance: rule small.R_duties "Whoever approves evidence did not produce it" (tests/trace/golden/small.assure:9:6) for e = small.E_self (tests/trace/golden/small.assure:5:10): sat means the rule is violated there
; each fact the answer rests on is a constant whose value is asserted as fact_<name>; dates are days since 1970-01-01, scale values their rank (lowest 0), words and strings integer codes, costs and counts exact rationals
; strings are integer codes, equal exactly when the strings are:
;   0 = "Safety board"
;   1 = "Test team"
;   2 = "ML team"
; [fact_approved_by_E_self] E_self.approved_by = "ML team" (code 2) (tests/trace/golden/small.assure:5)
; [fact_producer_E_self] E_self.producer = "ML team" (code 2) (tests/trace/golden/small.assure:5)
; [violated] the negated body of the rule for these elements, with the filters of their quantifiers (tests/trace/golden/small.assure:9)
(set-info :status unknown)
(declare-fun approved_by_E_self () Int)
(declare-fun producer_E_self () Int)
(assert (! (= approved_by_E_self 2)
   :named fact_approved_by_E_self))
(assert (! (= producer_E_self 2)
   :named fact_producer_E_self))
(assert (! (not (distinct approved_by_E_self producer_E_self))
   :named violated))
(check-sat)
(get-model)
; expected: sat

; assure rule small.R_duties "Whoever approves evidence did not produce it" (tests/trace/golden/small.assure:9): is some instance violated? sat means yes (violated_<n> true for each violated instance n); unsat means the rule holds for all 2 instances
; each fact the answer rests on is a constant whose value is asserted as fact_<name>; dates are days since 1970-01-01, scale values their rank (lowest 0), words and strings integer codes, costs and counts exact rationals
; strings are integer codes, equal exactly when the strings are:
;   0 = "Safety board"
;   1 = "Test team"
;   2 = "ML team"
; [fact_approved_by_E_ok] E_ok.approved_by = "Safety board" (code 0) (tests/trace/golden/small.assure:4)
; [fact_producer_E_ok] E_ok.producer = "Test team" (code 1) (tests/trace/golden/small.assure:4)
; [fact_approved_by_E_self] E_self.approved_by = "ML team" (code 2) (tests/trace/golden/small.assure:5)
; [fact_producer_E_self] E_self.producer = "ML team" (code 2) (tests/trace/golden/small.assure:5)
; [instance_1] violated_1 iff the rule is violated for e = small.E_ok (tests/trace/golden/small.assure:4:10) (assure: holds)
; [instance_2] violated_2 iff the rule is violated for e = small.E_self (tests/trace/golden/small.assure:5:10) (assure: violated)
; [some_instance_violated] some instance is violated (tests/trace/golden/small.assure:9)
(set-info :status unknown)
(declare-fun approved_by_E_ok () Int)
(declare-fun producer_E_ok () Int)
(declare-fun approved_by_E_self () Int)
(declare-fun producer_E_self () Int)
(declare-fun violated_1 () Bool)
(declare-fun violated_2 () Bool)
(assert (! (= approved_by_E_ok 0)
   :named fact_approved_by_E_ok))
(assert (! (= producer_E_ok 1)
   :named fact_producer_E_ok))
(assert (! (= approved_by_E_self 2)
   :named fact_approved_by_E_self))
(assert (! (= producer_E_self 2)
   :named fact_producer_E_self))
(assert (! (= violated_1 (not (distinct approved_by_E_ok producer_E_ok)))
   :named instance_1))
(assert (! (= violated_2 (not (distinct approved_by_E_self producer_E_self)))
   :named instance_2))
(assert (! (or violated_1 violated_2)
   :named some_instance_violated))
(check-sat)
(get-model)
; expected: sat

; assure rule instance: rule small.R_current "Evidence stays valid into 2027 and costs under 20" (tests/trace/golden/small.assure:15:6) for e = small.E_self (tests/trace/golden/small.assure:5:10): sat means the rule is violated there
; each fact the answer rests on is a constant whose value is asserted as fact_<name>; dates are days since 1970-01-01, scale values their rank (lowest 0), words and strings integer codes, costs and counts exact rationals
; [fact_valid_until_E_self] E_self.valid_until = 2026-09-30 (day 20726) (tests/trace/golden/small.assure:5)
; [fact_cost_E_self] E_self.cost = 3 (tests/trace/golden/small.assure:5)
; [violated] the negated body of the rule for these elements, with the filters of their quantifiers (tests/trace/golden/small.assure:15)
(set-info :status unknown)
(declare-fun valid_until_E_self () Int)
(declare-fun cost_E_self () Real)
(assert (! (= valid_until_E_self 20726)
   :named fact_valid_until_E_self))
(assert (! (= cost_E_self 3.0)
   :named fact_cost_E_self))
(assert (! (not (and (>= valid_until_E_self 20819) (< cost_E_self 20.0)))
   :named violated))
(check-sat)
(get-model)
; expected: sat

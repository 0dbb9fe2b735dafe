; assure rule instance: rule small.R_tested "Every claim has a passing test under it" (tests/trace/golden/small.assure:12:6) for c = small.G_b (tests/trace/golden/small.assure:8:7): sat means the rule is violated there
; each fact the answer rests on is a constant whose value is asserted as fact_<name>; dates are days since 1970-01-01, scale values their rank (lowest 0), words and strings integer codes, costs and counts exact rationals
; [fact_kind_E_self] E_self.kind = analysis (code 1) (tests/trace/golden/small.assure:5)
; [fact_result_E_self] E_self.result = pass (code 0) (tests/trace/golden/small.assure:5)
; [fact_under_E_self_G_b] under(E_self, G_b) = true (tests/trace/golden/small.assure:5, tests/trace/golden/small.assure:8); E_self is below G_b in the argument
; [violated] the negated body of the rule for these elements, with the filters of their quantifiers (tests/trace/golden/small.assure:12)
(set-info :status unknown)
(declare-fun kind_E_self () Int)
(declare-fun result_E_self () Int)
(declare-fun under_E_self_G_b () Bool)
(assert (! (= kind_E_self 1)
   :named fact_kind_E_self))
(assert (! (= result_E_self 0)
   :named fact_result_E_self))
(assert (! (= under_E_self_G_b true)
   :named fact_under_E_self_G_b))
(assert (! (not (and under_E_self_G_b (= kind_E_self 0) (= result_E_self 0)))
   :named violated))
(check-sat)
(get-model)
; expected: sat

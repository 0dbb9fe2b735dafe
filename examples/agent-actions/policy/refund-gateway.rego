# Tool gateway policy for the refund agent (Open Policy Agent).
# Evaluated on every tool call and on every message the agent sends to the customer.
package refund_gateway

import rego.v1

default allow_tool_call := false

default allow_message := false

# At most one refund per conversation: a second refund call is rejected.
allow_tool_call if {
	input.tool == "refund"
	count([c | some c in input.conversation.tool_calls; c.tool == "refund"; c.status == "success"]) == 0
}

allow_tool_call if input.tool != "refund"

# A message that reports a refund is released only after a successful refund in the same
# conversation, and only if it states that refund's amount and account.
allow_message if not input.message.reports_refund

allow_message if {
	input.message.reports_refund
	some c in input.conversation.tool_calls
	c.tool == "refund"
	c.status == "success"
	c.args.amount == input.message.amount
	c.args.account == input.message.account
}

"""Money: the ledger, reversals, payouts, statements, income, reconciliation and budgets."""

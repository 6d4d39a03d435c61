"""The shop: products synced per shop and product, e-mails, a ledger."""

"""Purchase contracts (帮扶购销合同): drafting, the state transitions, the floor price they guarantee.

``drafting`` (the county writes a draft), ``states`` (draft → signed → active → fulfilled | ended,
one function per transition), ``terms`` (which active contract covers a household's item, and the
price rule: the higher of the floor and the package price), ``wording`` (a contract in plain words),
``shortfall`` (what a contract still lacks against its minimum).
"""

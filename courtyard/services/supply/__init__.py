"""Supply from households: declared capacity, adoptions, collection day and its shortfalls."""

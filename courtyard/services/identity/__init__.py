"""Who someone is: accounts and logins, PIN guessing limits, API and calendar tokens."""

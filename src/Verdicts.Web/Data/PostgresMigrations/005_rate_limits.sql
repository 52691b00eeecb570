-- The limits that must hold across nodes (issue 29), kept here rather than in each node's memory.

-- The visitor limit on votes and sign-ups (Security/SharedRateLimiter.cs): one row per client key while its bucket is
-- not full. The bucket is kept as the time it will be full again (the generic cell rate algorithm), so one statement
-- takes a token and refills it; a row whose time has passed is a full bucket and is deleted.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    full_at TIMESTAMPTZ NOT NULL
);

-- Failed admin sign-ins (Admin/LoginThrottle.cs): per name from an address, and per address over all names (account '',
-- a name the sign-in form never lets through).
CREATE TABLE login_failures (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    failures BIGINT NOT NULL,
    last_failure TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account, address)
);

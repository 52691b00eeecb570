-- ASP.NET Core Data Protection's key ring (Data/DataProtectionKeys.cs), which signs the admin cookie and antiforgery
-- tokens: kept with the data rather than in the process's memory or home folder, so a restart signs no one out.
CREATE TABLE data_protection_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    xml TEXT NOT NULL
);

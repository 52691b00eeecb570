using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Verdicts.Web.Data;

/// <summary>
/// ASP.NET Core Data Protection's key ring, kept in the <c>data_protection_keys</c> table of the written data (the
/// framework's documented extension point, <see cref="IXmlRepository"/>): with PostgreSQL every node signs and reads
/// the admin cookie and antiforgery tokens with the same keys; with SQLite a restart keeps them.
/// </summary>
public sealed class DataProtectionKeys(Database database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.ReadWrites();
        var stored = connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(x => XElement.Parse(x));
        lock (unstored)
            return [.. stored, .. unstored];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // A site serving a read-only SQLite file still renders forms: their keys last as long as the process.
        if (!database.OnPostgres && database.ReadOnlyReason is not null)
        {
            lock (unstored)
                unstored.Add(element);
            return;
        }
        using var connection = database.OpenWrites();
        connection.Execute("INSERT INTO data_protection_keys (name, xml) VALUES (@friendlyName, @xml) ON CONFLICT (name) DO NOTHING",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }

    private readonly List<XElement> unstored = [];
}

public static class DataProtectionKeysRegistration
{
    public static IServiceCollection AddDataProtectionKeys(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Verdicts");
        services.AddOptions<KeyManagementOptions>().Configure<Database>((keys, database) => keys.XmlRepository = new DataProtectionKeys(database));
        return services;
    }
}

namespace Marketplace.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>Section <c>Database</c>: which provider, and its connection string (<c>ConnectionStrings:Marketplace</c>).</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string ConnectionStringName = "Marketplace";

    /// <summary>Reads and checks the settings; the provider must be known before any service is registered.</summary>
    public static DatabaseOptions From(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Database:Provider"];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText, ignoreCase: true, out provider))
        {
            throw new ConfigurationException(
                $"Database:Provider '{providerText}' is not supported; use Sqlite, Postgres or SqlServer.");
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider != DatabaseProvider.Sqlite)
            {
                throw new ConfigurationException(
                    $"ConnectionStrings:{ConnectionStringName} must be set when Database:Provider is {provider}.");
            }

            var dataFolder = Path.Combine(contentRoot, "App_Data");
            Directory.CreateDirectory(dataFolder);
            connectionString = $"Data Source={Path.Combine(dataFolder, "marketplace.db")}";
        }

        return new DatabaseOptions(provider, connectionString);
    }
}

/// <summary>A setting is missing or wrong: start-up stops with this one message.</summary>
public sealed class ConfigurationException(string message) : Exception(message);

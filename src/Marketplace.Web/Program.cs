using Marketplace.Web;
using Marketplace.Web.Cli;
using Marketplace.Web.Data;
using Microsoft.Extensions.Options;

// The app is composed in MarketplaceApp: every feature's services, the pipeline and every route group.
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddMarketplace();
    var app = builder.Build();
    app.UseMarketplace();

    if (CommandLine.IsCommand(args))
    {
        return await CommandLine.RunAsync(app, args);
    }

    await app.RunAsync();
    return 0;
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync($"Configuration error: {e.Message}");
    return 1;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", e.Failures)}");
    return 1;
}
catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
{
    // Several sections failed their validation at start-up: name every setting at fault at once.
    var failures = e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures);
    await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", failures)}");
    return 1;
}

public partial class Program;

using Marketplace.Web.Cli;
using Marketplace.Web.Data;
using Marketplace.Web.Hosting;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateBuilder(args);
    if (!builder.Environment.IsDevelopment())
    {
        // Structured JSON logs in every environment a machine reads them in.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
    }

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

public partial class Program;

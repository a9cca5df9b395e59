using System.Diagnostics;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests;

/// <summary>Runs the built app as a process, exactly as a newcomer would with the run command.</summary>
public partial class StartupTests
{
    private static readonly string AppDll = Path.Combine(RepositoryRoot.Path, "src", "Marketplace.Web", "bin", RepositoryRoot.BuildConfiguration, "net10.0", "Marketplace.Web.dll");

    [Theory]
    [InlineData("Database:Provider 'Oracle' is not supported", "Database__Provider=Oracle")]
    [InlineData("ConnectionStrings:Marketplace must be set when Database:Provider is Postgres", "Database__Provider=Postgres", "ConnectionStrings__Marketplace=")]
    [InlineData("Stripe:SecretKey must be a secret", "Stripe__SecretKey=pk_test_not_secret")]
    [InlineData("Stripe:WebhookSecret must be set", "Stripe__SecretKey=sk_test_123")]
    [InlineData("Site:PublicBaseUrl must be set in Production", "ASPNETCORE_ENVIRONMENT=Production", "Payments__AllowDryRunInProduction=true")]
    [InlineData("Site:PublicBaseUrl must be https in Production", "ASPNETCORE_ENVIRONMENT=Production", "Site__PublicBaseUrl=http://labels.example.com", "Payments__AllowDryRunInProduction=true")]
    [InlineData("set Payments:AllowDryRunInProduction=true", "ASPNETCORE_ENVIRONMENT=Production", "Site__PublicBaseUrl=https://labels.example.com")]
    public async Task BadConfiguration_StopsStartupWithOneMessageNamingTheSetting(string message, params string[] settings)
    {
        var environment = settings.Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var (exitCode, _, error) = await RunAsync(environment, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.StartsWith("Configuration error:", error.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithNoSetup_ServesHomeAndSignInOnSqlite()
    {
        using var process = Start(new() { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, "--urls", "http://127.0.0.1:0");
        try
        {
            var address = await ListeningAddressAsync(process, TimeSpan.FromSeconds(60));
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            Assert.Contains("Trustworthy labels, fairly paid", await client.GetStringAsync("/"), StringComparison.Ordinal);
            Assert.Contains("Sign in", await client.GetStringAsync("/Account/SignIn"), StringComparison.Ordinal);
            Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
            Assert.Contains("/api/account/tokens", await client.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string> environment, TimeSpan timeout)
    {
        using var process = Start(environment, "--urls", "http://127.0.0.1:0");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not exit within {timeout}: {await output}");
        }

        return (process.ExitCode, await output, await error);
    }

    private static Process Start(Dictionary<string, string> environment, params string[] args)
    {
        Assert.True(File.Exists(AppDll), $"{AppDll} is not built.");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(AppDll)! };
        info.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A database of its own, so the test never touches a developer's App_Data.
        info.Environment["ConnectionStrings__Marketplace"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"marketplace-run-{Guid.NewGuid():N}.db")}";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    private static async Task<string> ListeningAddressAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            var match = ListeningOn().Match(line);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException($"The app exited before listening: {await process.StandardError.ReadToEndAsync()}");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}

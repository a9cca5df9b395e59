using Marketplace.Web.Cli;
using Marketplace.Web.Domain;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests;

public abstract class DemoSeedTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task SeedDemo_FillsALivingMarketplaceOnce()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var message = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync("demo password 123", CancellationToken.None);
            Assert.StartsWith("Seeded", message, StringComparison.Ordinal);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var again = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(null, CancellationToken.None);
            Assert.Contains("nothing changed", again, StringComparison.Ordinal);
        }

        var (contributors, states, goldItems, buyers) = await app.WithDbAsync(async db =>
        {
            var organization = await db.Organizations.SingleAsync(o => o.Name == DemoSeeder.OrganizationName);
            var jobs = db.Jobs.Where(j => j.OrganizationId == organization.Id);
            return (
                await db.ContributorProfiles.CountAsync(p => p.User!.Email!.EndsWith("@demo.marketplace.test")),
                await jobs.Select(j => j.Status).Distinct().CountAsync(),
                await db.Items.CountAsync(i => i.IsGold && jobs.Any(j => j.Id == i.JobId)),
                await db.Users.CountAsync(u => u.OrganizationId == organization.Id));
        });
        Assert.Equal(DemoSeeder.ContributorCount, contributors);
        Assert.Equal(Enum.GetValues<JobStatus>().Length, states);
        Assert.True(goldItems > 50, $"{goldItems} gold items");
        Assert.Equal(3, buyers);

        // Demo accounts can really sign in with the password given.
        var browser = new BrowserSession(app.CreateBrowserClient());
        var signIn = await browser.SignInAsync("buyer1@demo.marketplace.test", "demo password 123");
        Assert.Equal("/Buyer", signIn.Headers.Location?.OriginalString);
        Assert.Contains("Street scenes", await browser.Client.GetStringAsync("/Buyer"), StringComparison.Ordinal);
    }
}

public sealed class SqliteDemoSeedTests(SqliteAppFactory app) : DemoSeedTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresDemoSeedTests(PostgresAppFactory app) : DemoSeedTests(app);

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>
/// Absurd but well-formed values (issue 20, findings 4 and 15): each is refused with a 400 naming its field before
/// anything is stored, so nothing downstream (pricing, claims, imports) meets a value it cannot handle.
/// </summary>
public abstract class JobInputBoundsTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task Pay_BeyondWhatOnePaymentCanCarry_IsRefusedUnsaved_AndClaimsKeepWorking()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 2, organizationId: buyer.OrganizationId);

        foreach (var pay in new[] { long.MaxValue, 100_000_000L })
        {
            var response = await browser.Client.PatchAsJsonAsync($"/api/jobs/{job.Id}", new { payPerLabelMinor = pay });
            await AssertFieldRefusedAsync(response, "payPerLabelMinor");
        }

        await AssertFieldRefusedAsync(await browser.Client.PatchAsJsonAsync($"/api/jobs/{job.Id}", new { budgetMinor = long.MaxValue }), "budgetMinor");
        await AssertFieldRefusedAsync(await browser.Client.PatchAsJsonAsync($"/api/jobs/{job.Id}", new { deadline = new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc) }), "deadline");

        var stored = await app.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id));
        Assert.Equal(job.PayPerLabelMinor, stored.PayPerLabelMinor);
        Assert.Equal(job.BudgetMinor, stored.BudgetMinor);
        Assert.Null(stored.Deadline);
        Assert.NotNull(await app.Arrange().ClaimAsync(await app.ContributorAsync(), job.Id)); // no OverflowException for anyone

        // The highest pay allowed is stored, and the arithmetic on it stays exact: the escrow no longer covers a label,
        // so the claim finds nothing to hand out, where an overflow used to throw for every contributor.
        var highest = await browser.Client.PatchAsJsonAsync($"/api/jobs/{job.Id}", new { payPerLabelMinor = 99_999_999L });
        Assert.Equal(HttpStatusCode.OK, highest.StatusCode);
        Assert.Null(await app.Arrange().ClaimAsync(await app.ContributorAsync(), job.Id));
    }

    public static TheoryData<string, string, string> AbsurdFields => new()
    {
        { "taskType", "99", "taskType" },                                  // a number is not a task type
        { "taskType", "\"SingleChoice, MultiLabel\"", "taskType" },         // nor is a list of them
        { "aggregationMethod", "99", "aggregationMethod" },
        { "currency", "\"ZZZ\"", "currency" },                             // three letters, but no currency
        { "deadline", "\"9999-12-31T00:00:00Z\"", "deadline" },
        { "title", "\"Pay\\u0007day\"", "title" },                         // a control character
        { "title", JsonSerializer.Serialize("Invoice " + new string('\u202E', 150) + "fdp.exe"), "title" }, // direction overrides
        { "labels", "[\"cat\", \"d\\u202Eog\"]", "labels" },
        { "requiredSkills", JsonSerializer.Serialize(Enumerable.Range(0, 21).Select(i => $"skill{i}")), "requiredSkills" },
        { "languages", JsonSerializer.Serialize(new[] { new string('x', 41) }), "languages" },
        { "payPerLabelMinor", "9223372036854775807", "payPerLabelMinor" },
        { "budgetMinor", "9223372036854775807", "budgetMinor" },
    };

    [Theory]
    [MemberData(nameof(AbsurdFields))]
    public async Task Create_WithAnAbsurdValue_IsRefusedNamingTheField_AndStoresNothing(string field, string json, string named)
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var body = new Dictionary<string, string>
        {
            ["title"] = "\"Sentiment\"",
            ["taskType"] = "\"SingleChoice\"",
            ["labels"] = "[\"cat\", \"dog\"]",
            ["payPerLabelMinor"] = "10",
            ["currency"] = "\"USD\"",
        };
        body[field] = json;
        var content = "{" + string.Join(",", body.Select(kv => $"\"{kv.Key}\":{kv.Value}")) + "}";

        var response = await browser.Client.PostAsync("/api/jobs", new StringContent(content, Encoding.UTF8, "application/json"));

        await AssertFieldRefusedAsync(response, named);
        Assert.Equal(0, await app.WithDbAsync(db => db.Jobs.CountAsync(j => j.OrganizationId == buyer.OrganizationId)));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("SingleChoice,MultiLabel")]
    [InlineData("-1")]
    public async Task QualificationRoutes_TakeTaskTypesByNameOnly(string type)
    {
        var (_, browser) = await app.SignedInAsync(Roles.Contributor);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.PostAsync($"/api/work/qualifications/{type}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/api/work/qualifications/{type}")).StatusCode);
    }

    private static async Task AssertFieldRefusedAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"The problem should name {field}: {text}");
    }
}

public sealed class SqliteJobInputBoundsTests(SqliteAppFactory app) : JobInputBoundsTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobInputBoundsTests(PostgresAppFactory app) : JobInputBoundsTests(app);

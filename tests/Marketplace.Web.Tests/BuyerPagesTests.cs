using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

public abstract class BuyerPagesTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task NewJobPage_CreatesADraftAndShowsItsPrice()
    {
        var buyer = await BuyerAsync();

        var response = await buyer.PostFormAsync("/Buyer/Jobs/New", JobForm(title: "Cats or dogs", labels: "cat\ndog"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/Buyer/Jobs/Details/", location, StringComparison.Ordinal);
        var page = await buyer.Client.GetStringAsync(location);
        Assert.Contains("Cats or dogs", page, StringComparison.Ordinal);
        Assert.Contains("Draft", page, StringComparison.Ordinal);
        Assert.Contains("0 × 3 × 0.25 USD = 0.00 USD", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewJobPage_WithBadFields_ShowsErrorsBesideThemAndCreatesNothing()
    {
        var buyer = await BuyerAsync();
        var title = $"Bad {Guid.NewGuid():N}";

        var response = await buyer.PostFormAsync("/Buyer/Jobs/New", JobForm(title: title, labels: "only-one", pay: "0", currency: "dollars"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("data-valmsg-for=\"Input.Labels\"[^>]*>A single-choice job needs at least two labels", html);
        Assert.Matches("data-valmsg-for=\"Input.PayPerLabelMinor\"[^>]*>Pay per accepted label", html);
        Assert.Matches("data-valmsg-for=\"Input.Currency\"[^>]*>A three-letter", html);
        Assert.False(await app.WithDbAsync(db => db.Jobs.AnyAsync(j => j.Title == title)));
    }

    [Fact]
    public async Task DetailsPage_UploadsItemsAndReportsBadRowsWithoutImporting()
    {
        var buyer = await BuyerAsync();
        var created = await buyer.PostFormAsync("/Buyer/Jobs/New", JobForm(title: "Upload me", labels: "yes\nno"));
        var page = created.Headers.Location!.OriginalString;
        var jobId = Guid.Parse(page[(page.LastIndexOf('/') + 1)..]);

        var good = await UploadAsync(buyer, page, "id,text\n1,one\n2,two\n", "items.csv", gold: false);
        Assert.Contains("Imported 2 items.", good, StringComparison.Ordinal);
        Assert.Contains("2 × 3 × 0.25 USD = 1.50 USD", await buyer.Client.GetStringAsync(page), StringComparison.Ordinal);

        var bad = await UploadAsync(buyer, page, "{\"id\":\"g1\",\"payload\":{\"text\":\"x\"},\"answer\":\"yes\"}\n{\"id\":\"g2\",\"payload\":{\"text\":\"y\"},\"answer\":\"perhaps\"}\n", "gold.jsonl", gold: true);
        Assert.Contains("Nothing was imported", bad, StringComparison.Ordinal);
        Assert.Contains("row 2, answer: must be one of: yes, no.", bad, StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == jobId)));
    }

    [Fact]
    public async Task DetailsPage_RendersInstructionsMarkdownButNeverTheirHtml()
    {
        var buyer = await BuyerAsync();
        var form = JobForm(title: "Safe", labels: "a\nb");
        form["Input.Instructions"] = "# Look closely\n<script>alert('x')</script>\n[click](javascript:alert(1))";

        var created = await buyer.PostFormAsync("/Buyer/Jobs/New", form);
        var html = await buyer.Client.GetStringAsync(created.Headers.Location!.OriginalString);

        Assert.Contains("<h1>Look closely</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DetailsPage_OfAnotherOrganizationsJob_Is404()
    {
        var owner = await BuyerAsync();
        var created = await owner.PostFormAsync("/Buyer/Jobs/New", JobForm(title: "Private", labels: "a\nb"));
        var stranger = await BuyerAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(created.Headers.Location!.OriginalString)).StatusCode);
    }

    [Fact]
    public async Task DetailsPage_LiveImport_ReportsRowsAsTheyAreStoredThenTheOutcome()
    {
        var buyer = await BuyerAsync();
        var created = await buyer.PostFormAsync("/Buyer/Jobs/New", JobForm(title: "Long upload", labels: "yes\nno"));
        var page = created.Headers.Location!.OriginalString;
        var rows = string.Concat(Enumerable.Range(1, 4_500).Select(i => $"{i},text {i}\n"));

        var lines = (await UploadAsync(buyer, page, "id,text\n" + rows, "items.csv", gold: false, handler: "ImportLive"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal([2_000, 4_000], lines.SkipLast(1).Select(l => l.GetProperty("imported").GetInt32()));
        var last = lines[^1];
        Assert.True(last.GetProperty("done").GetBoolean());
        Assert.Equal(4_500, last.GetProperty("imported").GetInt32());
        Assert.Equal("Imported 4,500 items.", last.GetProperty("message").GetString());
        Assert.Empty(last.GetProperty("errors").EnumerateArray());
        Assert.Contains("Imported 4,500 items.", WebUtility.HtmlDecode(await buyer.Client.GetStringAsync($"{page}?imported=4500&gold=false")), StringComparison.Ordinal);

        var bad = (await UploadAsync(buyer, page, "id,text\na1,new\n2,already there\n", "more.csv", gold: false, handler: "ImportLive"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var outcome = JsonDocument.Parse(Assert.Single(bad)).RootElement;
        Assert.Equal(0, outcome.GetProperty("imported").GetInt32());
        var error = Assert.Single(outcome.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Equal("id", error.GetProperty("field").GetString());
        var jobId = Guid.Parse(page[(page.LastIndexOf('/') + 1)..]);
        Assert.Equal(4_500, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == jobId)));
    }

    [Fact]
    public async Task DetailsPage_FundButton_InDryRun_SaysNothingWasChargedAndFundsTheJob()
    {
        var buyer = await BuyerAsync();
        var created = await buyer.PostFormAsync("/Buyer/Jobs/New", JobForm(title: "Fund on the page", labels: "yes\nno"));
        var page = created.Headers.Location!.OriginalString;
        var jobId = Guid.Parse(page[(page.LastIndexOf('/') + 1)..]);
        await UploadAsync(buyer, page, "id,text\n1,one\n", "items.csv", gold: false);
        Assert.Contains("Dry run: no Stripe key is configured", WebUtility.HtmlDecode(await buyer.Client.GetStringAsync(page)), StringComparison.Ordinal);

        var html = WebUtility.HtmlDecode(await (await buyer.PostFormAsync(page, new Dictionary<string, string>(), "Fund")).Content.ReadAsStringAsync());

        Assert.Contains("DRY RUN: escrow credited with 0.90 USD. No card was charged", html, StringComparison.Ordinal); // 1 × 3 × 0.25 + 20%
        Assert.Equal(JobStatus.Funded, await app.WithDbAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync()));
    }

    [Fact]
    public async Task DetailsPage_EditForm_RaisesPayAfterLaunchButRefusesToLowerIt()
    {
        var buyer = await BuyerAsync();
        var created = await buyer.PostFormAsync("/Buyer/Jobs/New", JobForm(title: "Editable", labels: "yes\nno"));
        var page = created.Headers.Location!.OriginalString;
        var jobId = Guid.Parse(page[(page.LastIndexOf('/') + 1)..]);
        await app.WithDbAsync(db => db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Active)));

        var lower = WebUtility.HtmlDecode(await (await buyer.PostFormAsync(page, new Dictionary<string, string> { ["PayPerLabelMinor"] = "10", ["Redundancy"] = "3", ["BudgetMinor"] = "10000" }, "Edit")).Content.ReadAsStringAsync());
        Assert.Contains("Nothing was changed:", lower, StringComparison.Ordinal);
        Assert.Contains("payPerLabelMinor: After launch pay may only rise (now 25).", lower, StringComparison.Ordinal);

        var higher = WebUtility.HtmlDecode(await (await buyer.PostFormAsync(page, new Dictionary<string, string> { ["PayPerLabelMinor"] = "40", ["Redundancy"] = "4", ["BudgetMinor"] = "20000" }, "Edit")).Content.ReadAsStringAsync());
        Assert.Contains("Saved.", higher, StringComparison.Ordinal);
        var job = await app.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
        Assert.Equal((40, 4, 20_000), (job.PayPerLabelMinor, job.Redundancy, job.BudgetMinor));
    }

    private static async Task<string> UploadAsync(BrowserSession buyer, string page, string content, string fileName, bool gold, string handler = "Import")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await buyer.AntiforgeryTokenAsync(page)), "__RequestVerificationToken" },
            { new StringContent(gold ? "true" : "false"), "gold" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        var response = await buyer.Client.PostAsync($"{page}?handler={handler}", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> JobForm(string title, string labels, string pay = "25", string currency = "USD") => new()
    {
        ["Input.Title"] = title,
        ["Input.Instructions"] = "Pick one.",
        ["Input.TaskType"] = ((int)TaskType.SingleChoice).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.Labels"] = labels,
        ["Input.PayPerLabelMinor"] = pay,
        ["Input.Currency"] = currency,
        ["Input.Redundancy"] = "3",
        ["Input.GoldRate"] = "0.1",
        ["Input.BudgetMinor"] = "10000",
    };

    private async Task<BrowserSession> BuyerAsync() => (await app.SignedInAsync(Roles.Buyer)).Browser;
}

public sealed class SqliteBuyerPagesTests(SqliteAppFactory app) : BuyerPagesTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresBuyerPagesTests(PostgresAppFactory app) : BuyerPagesTests(app);

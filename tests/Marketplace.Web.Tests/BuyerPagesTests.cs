using System.Net;
using System.Net.Http.Headers;
using System.Text;
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

    private static async Task<string> UploadAsync(BrowserSession buyer, string page, string content, string fileName, bool gold)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await buyer.AntiforgeryTokenAsync(page)), "__RequestVerificationToken" },
            { new StringContent(gold ? "true" : "false"), "gold" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        var response = await buyer.Client.PostAsync($"{page}?handler=Import", form);
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

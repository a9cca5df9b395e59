using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marketplace.StripeFake;
using Marketplace.Web.Domain;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
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
        Assert.Matches("data-valmsg-for=\"Input.Currency\"[^>]*>An active ISO 4217 currency code", html);
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
        var before = WebUtility.HtmlDecode(await buyer.Client.GetStringAsync(page));
        Assert.Contains("Dry run: no Stripe key is configured", before, StringComparison.Ordinal);
        Assert.Contains("Fund 0.90 USD (dry run)</button>", before, StringComparison.Ordinal);
        Assert.DoesNotContain("js.stripe.com", before, StringComparison.Ordinal); // no card form without real payments
        Assert.DoesNotContain("data-testid=\"payment-element\"", before, StringComparison.Ordinal);

        var html = WebUtility.HtmlDecode(await (await buyer.PostFormAsync(page, new Dictionary<string, string>(), "Fund")).Content.ReadAsStringAsync());

        Assert.Contains("DRY RUN: escrow credited with 0.90 USD. No card was charged", html, StringComparison.Ordinal); // 1 × 3 × 0.25 + 20%
        Assert.Equal(JobStatus.Funded, await app.WithDbAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync()));
    }

    [Fact]
    public async Task DetailsPage_Resume_OnAJobThatIsNotPaused_IsRefusedAsTheApiRefusesIt()
    {
        var buyer = await BuyerAsync();
        var created = await buyer.PostFormAsync("/Buyer/Jobs/New", JobForm(title: "Funded, never paused", labels: "yes\nno"));
        var page = created.Headers.Location!.OriginalString;
        var jobId = Guid.Parse(page[(page.LastIndexOf('/') + 1)..]);
        await UploadAsync(buyer, page, "id,text\n1,one\n", "items.csv", gold: false);
        await buyer.PostFormAsync(page, new Dictionary<string, string>(), "Fund");

        // Before, the page's resume was "become Active", which a funded job may: it launched the job.
        var html = WebUtility.HtmlDecode(await (await buyer.PostFormAsync(page, new Dictionary<string, string> { ["action"] = "resume" }, "Act")).Content.ReadAsStringAsync());

        Assert.Contains("Only a paused job can resume", html, StringComparison.Ordinal);
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

/// <summary>The job page with real payments (Stripe.net against the fake Stripe server) and a publishable key: Stripe's Payment Element.</summary>
public sealed class StripeBuyerPagesTests : IAsyncLifetime
{
    private const string PublishableKey = "pk_test_fake_publishable";
    private FakeStripeServer _stripe = null!;
    private StripeSqliteApp _app = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeServer.StartAsync();
        _app = new StripeSqliteApp(_stripe.BaseUrl);
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task DetailsPage_WithAPublishableKey_MountsStripesPaymentElement_FedByTheFundApisClientSecret()
    {
        var buyer = (await _app.SignedInAsync(Roles.Buyer)).Browser;
        var created = await buyer.PostFormAsync("/Buyer/Jobs/New", new Dictionary<string, string>
        {
            ["Input.Title"] = "Pay by card",
            ["Input.Instructions"] = "Pick one.",
            ["Input.TaskType"] = ((int)TaskType.SingleChoice).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Labels"] = "yes\nno",
            ["Input.PayPerLabelMinor"] = "25",
            ["Input.Currency"] = "USD",
            ["Input.Redundancy"] = "3",
            ["Input.GoldRate"] = "0",
            ["Input.BudgetMinor"] = "10000",
        });
        var page = created.Headers.Location!.OriginalString;
        var jobId = Guid.Parse(page[(page.LastIndexOf('/') + 1)..]);
        (await buyer.Client.PostAsync($"/api/jobs/{jobId}/items", new StringContent("id,text\n1,one\n", Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        var html = WebUtility.HtmlDecode(await buyer.Client.GetStringAsync(page));

        // Stripe.js from Stripe's own host, the element's container, the key, and where the script gets the intent.
        Assert.Contains("<script src=\"https://js.stripe.com/v3/\"></script>", html, StringComparison.Ordinal);
        Assert.Matches("<script src=\"/js/fund.js\\?v=[^\"]+\"></script>", html);
        Assert.Contains("<div id=\"payment-element\" data-testid=\"payment-element\"></div>", html, StringComparison.Ordinal);
        Assert.Contains($"data-publishable-key=\"{PublishableKey}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-fund-url=\"/api/jobs/{jobId}/fund\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-return-url=\"http://localhost/Buyer/Jobs/Details/{jobId}\"", html, StringComparison.Ordinal);
        Assert.Contains("Pay 0.90 USD by card</button>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Dry run", html, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Fund", html, StringComparison.Ordinal); // the card form never posts to this server

        // What fund.js does with the button's first press: the API creates the PaymentIntent at Stripe and hands
        // back the client secret the Payment Element is mounted with. Nothing is funded until Stripe's webhook.
        var response = await buyer.Client.PostAsync($"/api/jobs/{jobId}/fund", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var funding = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var intentId = funding.RootElement.GetProperty("paymentIntentId").GetString()!;
        Assert.StartsWith($"{intentId}_secret_", funding.RootElement.GetProperty("clientSecret").GetString(), StringComparison.Ordinal);
        Assert.False(funding.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(90, funding.RootElement.GetProperty("amountMinor").GetInt64());
        Assert.Equal(1, _stripe.CountRequests("POST", "/v1/payment_intents"));
        Assert.Equal(JobStatus.Draft, await _app.WithDbAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync()));

        // Stripe sends the buyer back with the outcome; the page says what happens next.
        var back = WebUtility.HtmlDecode(await buyer.Client.GetStringAsync($"{page}?payment_intent={intentId}&redirect_status=succeeded"));
        Assert.Contains("Payment received by Stripe: escrow is credited when Stripe confirms it", back, StringComparison.Ordinal);
    }

    private sealed class StripeSqliteApp(Uri stripe) : MarketplaceAppFactory
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"marketplace-stripe-pages-{Guid.NewGuid():N}.db");

        public override Marketplace.Web.Data.DatabaseProvider Provider => Marketplace.Web.Data.DatabaseProvider.Sqlite;

        protected override string ConnectionString => $"Data Source={_path}";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Stripe:SecretKey", FakeStripeServer.SecretKey);
            builder.UseSetting("Stripe:WebhookSecret", FakeStripeServer.WebhookSecret);
            builder.UseSetting("Stripe:PublishableKey", PublishableKey);
            builder.UseSetting("Stripe:ApiBase", stripe.ToString());
        }

        protected override Task DisposeDatabaseAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

public abstract class JobsTests(MarketplaceAppFactory app)
{
    public static TheoryData<TaskType, string[]> TaskTypes => new()
    {
        { TaskType.SingleChoice, ["cat", "dog"] },
        { TaskType.MultiLabel, ["billing", "shipping"] },
        { TaskType.BoundingBox, ["pedestrian"] },
        { TaskType.TextSpan, ["party", "date"] },
        { TaskType.FreeText, [] },
        { TaskType.Pairwise, [] },
    };

    [Theory]
    [MemberData(nameof(TaskTypes))]
    public async Task Create_EachTaskType_IsADraftTheBuyerCanRead(TaskType type, string[] labels)
    {
        var buyer = await BuyerAsync();

        var job = await CreateJobAsync(buyer, type, labels);

        Assert.Equal(JobStatus.Draft, job.Status);
        Assert.Equal(type, job.TaskType);
        Assert.Equal(type == TaskType.Pairwise ? ["A", "B"] : labels, job.Labels);
        var read = await buyer.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{job.Id}", ApiJson.Options);
        Assert.Equal(job.Title, read!.Title);
    }

    [Fact]
    public async Task Create_WithBadFields_IsAProblemNamingEachField()
    {
        var buyer = await BuyerAsync();

        var response = await buyer.Client.PostAsJsonAsync("/api/jobs", new
        {
            title = "",
            taskType = "SingleChoice",
            labels = new[] { "only-one" },
            payPerLabelMinor = 0,
            currency = "dollars",
            redundancy = 0,
            targetConfidence = 1.5,
            goldRate = 0.9,
            deadline = DateTime.UtcNow.AddDays(-1),
        }, ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "title", "labels", "payPerLabelMinor", "currency", "redundancy", "targetConfidence", "goldRate", "deadline" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task ImportCsv_AddsItemsAndThePriceFollows()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["cat", "dog"], pay: 25, redundancy: 3);
        var csv = "id,text,imageUrl\r\n1,\"A cat, sitting\non a mat\",\r\n2,,https://example.test/2.jpg\r\n3,\"She said \"\"woof\"\"\",\r\n";

        var response = await UploadAsync(buyer, job.Id, "items", csv, "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.Content.ReadFromJsonAsync<ImportSummary>();
        Assert.Equal(3, summary!.Imported);
        var details = await buyer.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{job.Id}", ApiJson.Options);
        // 3 items × 3 labels × 25 = 225, plus the 20% platform fee (45) = 270.
        Assert.Equal(new PriceBreakdown(3, 3, 25, 225, 2_000, 45, 270, "USD"), details!.Price);
        var payload = await app.WithDbAsync(db => db.Items.Where(i => i.JobId == job.Id && i.ExternalId == "1").Select(i => i.Payload).SingleAsync());
        Assert.Equal("A cat, sitting\non a mat", JsonDocument.Parse(payload).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ImportJsonLines_Gold_KeepsTheKnownAnswers()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.BoundingBox, ["pedestrian", "cyclist"]);
        var jsonl = """
            {"id": "g1", "payload": {"imageUrl": "https://example.test/g1.jpg"}, "answer": [{"label": "cyclist", "x": 1, "y": 2, "w": 30, "h": 40}]}
            {"id": "g2", "payload": {"imageUrl": "https://example.test/g2.jpg"}, "answer": []}
            """;

        var response = await UploadAsync(buyer, job.Id, "gold", jsonl, "application/jsonl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var gold = await app.WithDbAsync(db => db.Items.Where(i => i.JobId == job.Id).OrderBy(i => i.ExternalId).ToListAsync());
        Assert.All(gold, i => Assert.True(i.IsGold));
        Assert.Equal("cyclist", JsonDocument.Parse(gold[0].GoldAnswer!).RootElement[0].GetProperty("label").GetString());
    }

    [Theory]
    [InlineData("text/csv", "id,text\n1,ok\n2,\n3,ok\n", 3, "text|imageUrl")]
    [InlineData("text/csv", "id,text\n1,ok\n1,again\n", 3, "id")]
    [InlineData("text/csv", "name,text\n1,ok\n", 1, "file")]
    [InlineData("text/csv", "id,text\n1,ok\n2,\"unterminated\n", 3, "file")]
    [InlineData("application/jsonl", "{\"id\":\"1\",\"payload\":{\"text\":\"ok\"}}\n{\"id\":\"2\",\"payload\":{\"text\":\n", 2, "row")]
    [InlineData("application/jsonl", "{\"id\":\"1\",\"payload\":{\"imageUrl\":\"not a url\"}}\n", 1, "imageUrl")]
    [InlineData("application/jsonl", "[1,2]\n", 1, "row")]
    public async Task Import_WithABadRow_NamesTheRowAndFieldAndImportsNothing(string contentType, string body, long row, string field)
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);

        var response = await UploadAsync(buyer, job.Id, "items", body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var first = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal(row, first.GetProperty("row").GetInt64());
        Assert.Equal(field, first.GetProperty("field").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id)));
    }

    [Fact]
    public async Task ImportGold_WithAnAnswerOutsideTheLabelSet_IsRefused()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);

        var response = await UploadAsync(buyer, job.Id, "gold", "id,text,answer\n1,ok,yes\n2,ok,maybe\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var first = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal(3, first.GetProperty("row").GetInt64());
        Assert.Equal("answer", first.GetProperty("field").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id)));
    }

    [Fact]
    public async Task Import_InvalidUtf8_IsRefusedNamingTheEncoding()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);
        var bytes = Encoding.UTF8.GetBytes("id,text\n1,caf").Concat(new byte[] { 0xE9, 0x0A }).ToArray(); // Latin-1 é

        var response = await buyer.Client.PostAsync($"/api/jobs/{job.Id}/items", new ByteArrayContent(bytes) { Headers = { ContentType = new("text/csv") } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SameIdsAgain_IsRefusedNeverDoubled()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(buyer, job.Id, "items", "id,text\na,1\nb,2\n", "text/csv")).StatusCode);

        var again = await UploadAsync(buyer, job.Id, "items", "id,text\nc,3\nb,2\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already an item", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id)));
    }

    [Fact]
    public async Task Import_UnknownFormat_Is415()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await UploadAsync(buyer, job.Id, "items", "<xml/>", "application/xml")).StatusCode);
    }

    [Fact]
    public async Task Import_LargerThanTheLimit_Is413BeforeReading()
    {
        using var small = app.WithWebHostBuilder(b => b.UseSetting("Jobs:MaxImportBytes", "2048"));
        var buyerUser = await app.CreateUserAsync(Roles.Buyer, await app.CreateOrganizationAsync(), BrowserSession.Password);
        var browser = new BrowserSession(MarketplaceAppFactory.AsPageScripts(small.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true })));
        await browser.SignInAsync(buyerUser.Email!);
        var job = await CreateJobAsync(browser, TaskType.SingleChoice, ["yes", "no"]);
        var body = "id,text\n" + string.Concat(Enumerable.Range(0, 400).Select(i => $"{i},some text\n"));

        var response = await browser.Client.PostAsync($"/api/jobs/{job.Id}/items", new StringContent(body, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id)));
    }

    [Fact]
    public async Task Lifecycle_FollowsTheRulesAndIllegalMovesAre409()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"], pay: 10);

        await AssertConflictAsync(buyer, job.Id, "launch", "Only a funded job can launch");
        Assert.Equal(HttpStatusCode.OK, (await buyer.Client.PostAsJsonAsync($"/api/jobs/{job.Id}/fund", new { amountMinor = 1_000 })).StatusCode); // dry run: funded at once
        await AssertConflictAsync(buyer, job.Id, "launch", "needs items");
        await UploadAsync(buyer, job.Id, "items", "id,text\n1,hello\n", "text/csv");

        Assert.Equal(JobStatus.Active, await ActAsync(buyer, job.Id, "launch"));
        await AssertConflictAsync(buyer, job.Id, "resume", "Only a paused job can resume");
        Assert.Equal(JobStatus.Paused, await ActAsync(buyer, job.Id, "pause"));
        await AssertConflictAsync(buyer, job.Id, "pause", "cannot become Paused");
        Assert.Equal(JobStatus.Active, await ActAsync(buyer, job.Id, "resume"));

        var lowerPay = await buyer.Client.PatchAsJsonAsync($"/api/jobs/{job.Id}", new { payPerLabelMinor = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, lowerPay.StatusCode);
        Assert.Contains("payPerLabelMinor", await lowerPay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var higherPay = await buyer.Client.PatchAsJsonAsync($"/api/jobs/{job.Id}", new { payPerLabelMinor = 15, redundancy = 5 });
        Assert.Equal(HttpStatusCode.OK, higherPay.StatusCode);

        Assert.Equal(JobStatus.Completed, await ActAsync(buyer, job.Id, "complete"));
        await AssertConflictAsync(buyer, job.Id, "cancel", "it is closed");
        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(buyer, job.Id, "items", "id,text\n2,late\n", "text/csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await buyer.Client.PatchAsJsonAsync($"/api/jobs/{job.Id}", new { title = "renamed" })).StatusCode);
    }

    [Fact]
    public async Task Cancel_FromDraft_IsAllowed()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.FreeText, []);
        Assert.Equal(JobStatus.Cancelled, await ActAsync(buyer, job.Id, "cancel"));
    }

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "" },
        { "PATCH", "" },
        { "POST", "/items" },
        { "POST", "/gold" },
        { "POST", "/launch" },
        { "POST", "/pause" },
        { "POST", "/resume" },
        { "POST", "/complete" },
        { "POST", "/cancel" },
        { "GET", "/results?format=csv" },
        { "GET", "/results?format=jsonl" },
        { "GET", "/contributors" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryJobEndpoint_RefusesAnonymousContributorsAndOtherOrganizations(string method, string suffix)
    {
        var owner = await BuyerAsync();
        var job = await CreateJobAsync(owner, TaskType.SingleChoice, ["yes", "no"]);
        var path = $"/api/jobs/{job.Id}{suffix}";
        HttpRequestMessage Request() => new(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent(suffix is "/items" or "/gold" ? "id,text,answer\n9,x,yes\n" : "{\"title\":\"hijacked\"}", Encoding.UTF8, suffix is "/items" or "/gold" ? "text/csv" : "application/json") };

        var (_, contributorBrowser) = await app.SignedInAsync(Roles.Contributor);
        var stranger = await BuyerAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().SendAsync(Request())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await contributorBrowser.Client.SendAsync(Request())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.SendAsync(Request())).StatusCode);

        var unchanged = await app.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id));
        Assert.Equal(JobStatus.Draft, unchanged.Status);
        Assert.Equal(job.Title, unchanged.Title);
        Assert.Equal(0, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id)));

        var (_, adminBrowser) = await app.SignedInAsync(Roles.Admin);
        var asAdmin = (await adminBrowser.Client.SendAsync(Request())).StatusCode;
        Assert.NotEqual(HttpStatusCode.NotFound, asAdmin);
        if (method == "GET")
        {
            Assert.Equal(HttpStatusCode.OK, asAdmin);
        }
    }

    [Fact]
    public async Task GoldImport_KeepsTheToleranceOfBoxes_AndRefusesItWhereItMeansNothing()
    {
        var buyer = await BuyerAsync();
        var boxes = await CreateJobAsync(buyer, TaskType.BoundingBox, ["car"]);
        const string Box = "[{\"label\":\"car\",\"x\":1,\"y\":2,\"w\":30,\"h\":40}]";

        var csv = await UploadAsync(buyer, boxes.Id, "gold", $"id,imageUrl,answer,tolerance\ng1,https://img.test/1.png,\"{Box.Replace("\"", "\"\"", StringComparison.Ordinal)}\",0.7\ng2,https://img.test/2.png,\"{Box.Replace("\"", "\"\"", StringComparison.Ordinal)}\",\n", "text/csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var jsonl = await UploadAsync(buyer, boxes.Id, "gold", $"{{\"id\":\"g3\",\"payload\":{{\"imageUrl\":\"https://img.test/3.png\"}},\"answer\":{Box},\"tolerance\":0.35}}\n", "application/jsonl");
        Assert.Equal(HttpStatusCode.OK, jsonl.StatusCode);
        var tolerances = await app.WithDbAsync(db => db.Items.Where(i => i.JobId == boxes.Id).OrderBy(i => i.ExternalId).Select(i => i.GoldTolerance).ToListAsync());
        Assert.Equal([0.7, null, 0.35], tolerances);

        var outOfRange = await UploadAsync(buyer, boxes.Id, "gold", $"{{\"id\":\"g4\",\"payload\":{{\"imageUrl\":\"https://img.test/4.png\"}},\"answer\":{Box},\"tolerance\":1.5}}\n", "application/jsonl");
        await AssertRowErrorAsync(outOfRange, 1, "tolerance", "must be a number above 0 and at most 1");

        var choices = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);
        var meaningless = await UploadAsync(buyer, choices.Id, "gold", "id,text,answer,tolerance\ng1,x,yes,\ng2,y,no,0.5\n", "text/csv");
        await AssertRowErrorAsync(meaningless, 3, "tolerance", "applies only to gold bounding boxes and text spans");
        Assert.Equal(3, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == boxes.Id || i.JobId == choices.Id)));
    }

    [Fact]
    public async Task Create_WithAVotingMethodForBoxes_IsAProblemNamingTheField()
    {
        var buyer = await BuyerAsync();

        var response = await buyer.Client.PostAsJsonAsync("/api/jobs", new { title = "Boxes", taskType = "BoundingBox", labels = new[] { "car" }, payPerLabelMinor = 5, currency = "USD", aggregationMethod = "DawidSkene" }, ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("combined by matching", errors.GetProperty("aggregationMethod")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithAMinimumTierNoTierHas_IsRefused_AndAKnownOneIsStoredAsTheTierSpellsIt()
    {
        var buyer = await BuyerAsync();

        var unknown = await buyer.Client.PostAsJsonAsync("/api/jobs", new { title = "Tiered", taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 5, currency = "USD", minimumTier = "Platinum" }, ApiJson.Options);
        var known = await buyer.Client.PostAsJsonAsync("/api/jobs", new { title = "Tiered", taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 5, currency = "USD", minimumTier = " silver " }, ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var errors = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("No tier is called \"Platinum\"", errors.GetProperty("minimumTier")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, known.StatusCode);
        Assert.Equal("Silver", (await known.Content.ReadFromJsonAsync<JobDetails>(ApiJson.Options))!.MinimumTier);
    }

    [Theory]
    [InlineData("application/jsonl", 2, "file", "row is longer than 84,000 characters")]
    [InlineData("text/csv", 3, "file", "a field is too long")]
    public async Task Import_WithAHugeRow_NamesItsRowAndImportsNothing(string contentType, int row, string field, string message)
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);
        var huge = new string('x', 200_000);
        var body = contentType == "text/csv"
            ? $"id,text\n1,fine\n2,{huge}\n3,never read\n"
            : $"{{\"id\":\"1\",\"payload\":{{\"text\":\"fine\"}}}}\n{{\"id\":\"2\",\"payload\":{{\"text\":\"{huge}\"}}}}\n";

        await AssertRowErrorAsync(await UploadAsync(buyer, job.Id, "items", body, contentType), row, field, message);
        Assert.Equal(0, await app.WithDbAsync(db => db.Items.CountAsync(i => i.JobId == job.Id)));
    }

    [Fact]
    public async Task Results_InAnUnknownFormat_IsAProblemNamingTheField()
    {
        var buyer = await BuyerAsync();
        var job = await CreateJobAsync(buyer, TaskType.SingleChoice, ["yes", "no"]);

        var response = await buyer.Client.GetAsync($"/api/jobs/{job.Id}/results?format=xlsx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Must be csv or jsonl.", problem.GetProperty("errors").GetProperty("format")[0].GetString());
    }

    private static async Task AssertRowErrorAsync(HttpResponseMessage response, int row, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var first = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal(row, first.GetProperty("row").GetInt32());
        Assert.Equal(field, first.GetProperty("field").GetString());
        Assert.Contains(message, first.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_IsForBuyers_NotAdminsWithoutAnOrganization()
    {
        var (_, browser) = await app.SignedInAsync(Roles.Admin);
        var response = await browser.Client.PostAsJsonAsync("/api/jobs", new { title = "x", taskType = "FreeText", payPerLabelMinor = 5, currency = "USD" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<BrowserSession> BuyerAsync() => (await app.SignedInAsync(Roles.Buyer)).Browser;

    private async Task<JobDetails> CreateJobAsync(BrowserSession buyer, TaskType type, string[] labels, long pay = 20, int redundancy = 3)
    {
        var response = await buyer.Client.PostAsJsonAsync("/api/jobs", new
        {
            title = $"{type} job",
            instructions = "Label **carefully**.",
            taskType = type.ToString(),
            labels,
            payPerLabelMinor = pay,
            currency = "usd",
            redundancy,
            targetConfidence = 0.95,
            goldRate = 0.1,
            deadline = app.Clock.GetUtcNow().UtcDateTime.AddDays(7), // the app's clock: other tests on this database move it forward
            budgetMinor = 100_000,
        }, ApiJson.Options);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JobDetails>(ApiJson.Options))!;
    }

    private static Task<HttpResponseMessage> UploadAsync(BrowserSession buyer, Guid jobId, string kind, string body, string contentType) =>
        buyer.Client.PostAsync($"/api/jobs/{jobId}/{kind}", new StringContent(body, new UTF8Encoding(false), contentType));

    private static async Task<JobStatus> ActAsync(BrowserSession buyer, Guid jobId, string action)
    {
        var response = await buyer.Client.PostAsync($"/api/jobs/{jobId}/{action}", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JobDetails>(ApiJson.Options))!.Status;
    }

    private static async Task AssertConflictAsync(BrowserSession buyer, Guid jobId, string action, string reason)
    {
        var response = await buyer.Client.PostAsync($"/api/jobs/{jobId}/{action}", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class SqliteJobsTests(SqliteAppFactory app) : JobsTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobsTests(PostgresAppFactory app) : JobsTests(app);

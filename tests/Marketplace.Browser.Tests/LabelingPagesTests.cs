using System.Text.Json;
using Marketplace.Testing;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Marketplace.Browser.Tests;

/// <summary>A contributor in Chromium: takes a qualification test, then labels with the keyboard and the mouse.</summary>
public sealed class LabelingPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "a long enough passphrase";

    // Images come from a host Playwright answers itself: the machine has no network, and the app only needs a URL.
    private const string ImageHost = "https://images.test"; // the pages' policy loads item images over https only
    private const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#ddd"/><rect x="100" y="60" width="120" height="90" fill="#c33"/></svg>""";

    private string? _lastBuyerEmail;

    [Fact]
    public async Task Contributor_PassesTheTest_ThenLabelsWithNumberKeysEnterAndSkip()
    {
        var job = await ActiveJobAsync(TaskType.SingleChoice, ["cat", "dog"], items: 6, gold: ["cat", "dog", "cat", "dog"], i => new { text = $"Review {i}: is this a cat or a dog?" });
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        var userId = await SignUpAsync(page);

        // The qualification test: gold items of live jobs, answered with number keys and Enter.
        await page.ClickAsync("[data-testid=qualify-SingleChoice]");
        for (var question = 0; question < 4; question++)
        {
            var text = await page.Locator(".item-text").InnerTextAsync();
            await page.Keyboard.PressAsync(text.Contains("gold cat", StringComparison.Ordinal) ? "1" : "2");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForFunctionAsync(
                "prev => document.querySelector('[data-testid=qualification-result]') || document.querySelector('.item-text')?.textContent !== prev", text);
        }

        Assert.Equal("Passed: 4 of 4 correct", await page.InnerTextAsync("[data-testid=qualification-result]"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "qualification-passed.png"), FullPage = true });

        // The feed now offers the job; labeling shows instructions, the lease and the next task after each submit.
        await page.ClickAsync("text=Go to your task feed");
        await page.WaitForURLAsync("**/Work");
        Assert.Contains("(95% credible interval", await page.InnerTextAsync("[data-testid=accuracy]"), StringComparison.Ordinal);
        Assert.Contains("from 4 gold answers", await page.InnerTextAsync("[data-testid=accuracy]"), StringComparison.Ordinal);
        await page.ClickAsync($"[data-testid=start-{job.Id}]");
        await page.Locator(".item-text").WaitForAsync();
        Assert.Equal(job.Title, await page.InnerTextAsync("[data-testid=task-title]"));
        Assert.Contains("<strong>cat</strong>", await page.InnerHTMLAsync("[data-testid=instructions]"), StringComparison.Ordinal);
        Assert.Matches(@"Lease: [45]:\d\d left", await page.InnerTextAsync("[data-testid=lease]"));

        var first = await page.Locator(".item-text").InnerTextAsync();
        await page.Keyboard.PressAsync("2");
        Assert.Equal("true", await page.GetAttributeAsync("button[data-label=dog]", "aria-pressed"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "labeling-single-choice.png"), FullPage = true });
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("prev => document.querySelector('.item-text')?.textContent !== prev", first);

        var second = await page.Locator(".item-text").InnerTextAsync();
        await page.Keyboard.PressAsync("s");
        await page.WaitForFunctionAsync("prev => document.querySelector('.item-text')?.textContent !== prev", second);

        var mine = await WithDbAsync(db => db.Assignments.AsNoTracking()
            .Where(a => a.ContributorId == userId && a.JobId == job.Id && a.Kind != AssignmentKind.Qualification)
            .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => new { a.Status, a.Answer, i.Payload })
            .ToListAsync());
        var submitted = Assert.Single(mine, a => a.Status == AssignmentStatus.Submitted);
        Assert.Equal("\"dog\"", submitted.Answer);
        Assert.Contains(first, submitted.Payload, StringComparison.Ordinal);
        var released = Assert.Single(mine, a => a.Status == AssignmentStatus.Released);
        Assert.Contains(second, released.Payload, StringComparison.Ordinal);
        Assert.Single(mine, a => a.Status == AssignmentStatus.Leased); // the task on screen now
    }

    [Fact]
    public async Task Contributor_DrawsABoundingBoxWithTheMouse_AndItIsStoredInImagePixels()
    {
        var job = await ActiveJobAsync(TaskType.BoundingBox, ["car", "person"], items: 2, gold: [], i => new { imageUrl = $"{ImageHost}/street-{i}.svg" });
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await context.RouteAsync($"{ImageHost}/**", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "image/svg+xml", Body = Svg }));
        var page = await context.NewPageAsync();
        var userId = await SignUpAsync(page);
        await QualifyAsync(userId, TaskType.BoundingBox);

        await page.GotoAsync($"/Work/Label?job={job.Id}");
        var canvas = page.Locator("[data-testid=box-canvas]");
        await page.WaitForFunctionAsync("() => { const c = document.querySelector('[data-testid=box-canvas]'); return c && c.width > 0; }");
        var bounds = (await canvas.BoundingBoxAsync())!;

        // Pick "person" with its number key, then drag over the red rectangle (image pixels 100,60 to 220,150).
        await page.Keyboard.PressAsync("2");
        var scale = bounds.Width / 400;
        await page.Mouse.MoveAsync(bounds.X + (100 * scale), bounds.Y + (60 * scale));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(bounds.X + (160 * scale), bounds.Y + (100 * scale), new MouseMoveOptions { Steps = 5 });
        await page.Mouse.MoveAsync(bounds.X + (220 * scale), bounds.Y + (150 * scale), new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        Assert.StartsWith("person at", await page.InnerTextAsync("[data-testid=boxes] li"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "labeling-bounding-box.png"), FullPage = true });

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=status]')?.textContent === 'Submitted.'");

        var answer = await WithDbAsync(db => db.Assignments.AsNoTracking()
            .Where(a => a.ContributorId == userId && a.JobId == job.Id && a.Status == AssignmentStatus.Submitted)
            .Select(a => a.Answer).SingleAsync());
        var box = Assert.Single(JsonDocument.Parse(answer!).RootElement.EnumerateArray().ToList());
        Assert.Equal("person", box.GetProperty("label").GetString());
        Assert.InRange(box.GetProperty("x").GetInt32(), 98, 102);
        Assert.InRange(box.GetProperty("y").GetInt32(), 58, 62);
        Assert.InRange(box.GetProperty("w").GetInt32(), 118, 122);
        Assert.InRange(box.GetProperty("h").GetInt32(), 88, 92);
    }

    private async Task<string> SignUpAsync(IPage page)
    {
        var email = $"labeler-{Guid.NewGuid():N}@example.test";
        await page.GotoAsync("/Account/SignUp");
        await page.CheckAsync("input[value=Contributor]");
        await page.FillAsync("#Input_DisplayName", "Grace Hopper");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Password);
        await page.FillAsync("#Input_ConfirmPassword", Password);
        await page.ClickAsync("button:has-text('Create account')");
        await fixture.ConfirmAndSignInAsync(page, email, Password);
        await page.WaitForURLAsync("**/Work");
        return await WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
    }

    private Task QualifyAsync(string userId, TaskType type) => new MarketArrangement(fixture.Services, TimeProvider.System).ProfileAsync(userId, [type]);

    [Fact]
    public async Task BuyersJobPage_MovesWhileAContributorLabels_AndSaysWhenItIsReconnecting()
    {
        var job = await ActiveJobAsync(TaskType.SingleChoice, ["cat", "dog"], items: 4, gold: [], i => new { text = $"Photo {i}" });
        await using var buyerContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var buyer = await buyerContext.NewPageAsync();
        await buyer.GotoAsync("/Account/SignIn");
        await buyer.FillAsync("#Input_Email", _lastBuyerEmail!);
        await buyer.FillAsync("#Input_Password", Password);
        await buyer.ClickAsync("button:has-text('Sign in')");
        await buyer.WaitForURLAsync("**/Buyer");
        await buyer.GotoAsync($"/Buyer/Jobs/Details/{job.Id}");
        await buyer.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'");
        Assert.StartsWith("0 (", await buyer.InnerTextAsync("[data-field=labels]"), StringComparison.Ordinal);
        var spentBefore = await buyer.InnerTextAsync("[data-field=spent]");

        await using var workerContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseUrl });
        var worker = await workerContext.NewPageAsync();
        await QualifyAsync(await SignUpAsync(worker), TaskType.SingleChoice);
        await worker.GotoAsync($"/Work/Label?job={job.Id}");
        await LabelOneAsync(worker);

        await buyer.WaitForFunctionAsync("() => document.querySelector('[data-field=labels]').textContent.startsWith('1 (')");
        Assert.NotEqual(spentBefore, await buyer.InnerTextAsync("[data-field=spent]"));
        await buyer.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "buyer-job-live.png"), FullPage = true });

        // The buyer's connection drops: the page says it is reconnecting, comes back by itself and keeps moving.
        await buyerContext.SetOfflineAsync(true);
        await buyer.Locator("[data-testid=live-status]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
        Assert.Contains("reconnecting", await buyer.InnerTextAsync("[data-testid=live-status]"), StringComparison.Ordinal);
        await buyer.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsFolder, "buyer-job-reconnecting.png"), FullPage = true });
        await buyerContext.SetOfflineAsync(false);
        await buyer.Locator("[data-testid=live-status]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 60_000 });

        await LabelOneAsync(worker);
        await buyer.WaitForFunctionAsync("() => document.querySelector('[data-field=labels]').textContent.startsWith('2 (')");
    }

    private static async Task LabelOneAsync(IPage worker)
    {
        await worker.Locator(".item-text").WaitForAsync();
        var text = await worker.Locator(".item-text").InnerTextAsync();
        await worker.Keyboard.PressAsync("1");
        await worker.Keyboard.PressAsync("Enter");
        await worker.WaitForFunctionAsync("prev => document.querySelector('.item-text')?.textContent !== prev", text);
    }

    private async Task<Job> ActiveJobAsync(TaskType type, string[] labels, int items, string[] gold, Func<int, object> payload)
    {
        var arrange = new MarketArrangement(fixture.Services, TimeProvider.System);
        var buyer = await arrange.UserAsync(Roles.Buyer, await arrange.OrganizationAsync(), Password);
        _lastBuyerEmail = buyer.Email;
        return await arrange.JobAsync(
            new JobSetup
            {
                Type = type,
                Labels = labels,
                Items = items,
                Gold = gold.Length,
                Payload = i => i < items ? payload(i) : new { text = $"Gold {i - items}: this is a gold {gold[i - items]}." },
                GoldAnswer = g => JsonSerializer.Serialize(gold[g]),
                Title = $"{type} {Guid.NewGuid():N}"[..20],
                Instructions = "Pick the right one: **cat** or not.",
                PayPerLabelMinor = 12,
                BudgetMinor = 100_000,
            },
            buyer);
    }

    private async Task<T> WithDbAsync<T>(Func<MarketplaceDbContext, Task<T>> work)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>());
    }
}

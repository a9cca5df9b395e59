using System.Security.Cryptography;
using System.Text.Json;
using Bogus;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Cli;

/// <summary>
/// Fills an empty database with a living marketplace: one organization with buyers, ~200 contributors of
/// varied skill, and jobs in every state with items and gold items. Deterministic (fixed seed); runs only
/// when asked (<c>seed-demo</c>), never on its own.
/// </summary>
public sealed class DemoSeeder(MarketplaceDbContext db, UserManager<ApplicationUser> users, Marketplace.Payouts.FundEscrow fund, TimeProvider clock)
{
    public const string OrganizationName = "Northwind Vision (demo)";
    public const int ContributorCount = 200;
    public const int Seed = 20_261_123;

    private static readonly string[] Skills = ["image", "text", "audio", "medical", "legal", "retail", "autonomous-driving", "sentiment"];
    private static readonly string[] Languages = ["en", "de", "fr", "es", "pt", "hi", "ja", "sw"];

    private sealed record JobSpec(string Title, TaskType Type, string[] Labels, JobStatus Status, int Items);

    private static readonly JobSpec[] Jobs =
    [
        new("Product photo: is the item damaged?", TaskType.SingleChoice, ["intact", "damaged", "unclear"], JobStatus.Active, 400),
        new("Support ticket topics", TaskType.MultiLabel, ["billing", "shipping", "returns", "technical", "other"], JobStatus.Active, 300),
        new("Street scenes: box every pedestrian", TaskType.BoundingBox, ["pedestrian", "cyclist"], JobStatus.Paused, 150),
        new("Contract clauses: mark party names", TaskType.TextSpan, ["party", "date", "amount"], JobStatus.Funded, 200),
        new("Chat replies: which answer is better?", TaskType.Pairwise, ["A", "B"], JobStatus.Completed, 250),
        new("Tweet sentiment about our brand", TaskType.SingleChoice, ["positive", "neutral", "negative"], JobStatus.Draft, 120),
        new("Receipt transcription", TaskType.FreeText, [], JobStatus.Cancelled, 80),
    ];

    public async Task<string> SeedAsync(string? password, CancellationToken ct)
    {
        if (await db.Organizations.AnyAsync(o => o.Name == OrganizationName, ct))
        {
            return "Demo data is already there; nothing changed.";
        }

        var generated = password is null;
        password ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
        var faker = new Faker { Random = new Randomizer(Seed) };
        var now = clock.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var organization = new Organization { Id = Guid.CreateVersion7(), Name = OrganizationName, CreatedAt = now.AddDays(-90) };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);

        // One hash for every demo account: 200 PBKDF2 runs at 210,000 iterations would take a minute.
        var passwordHash = users.PasswordHasher.HashPassword(new ApplicationUser(), password);
        var buyers = await SeedPeopleAsync(faker, organization.Id, passwordHash, now, ct);
        var itemCount = 0;
        foreach (var (spec, index) in Jobs.Select((j, i) => (j, i)))
        {
            itemCount += await SeedJobAsync(faker, spec, index, organization.Id, buyers[index % buyers.Count].Id, now, ct);
        }

        await transaction.CommitAsync(ct);
        var passwordNote = generated ? $"Demo password (shown once): {password}" : "Demo password: the one you passed.";
        return $"Seeded {OrganizationName}: {buyers.Count} buyers (buyer1@demo.marketplace.test ...), {ContributorCount} contributors (contributor001@demo.marketplace.test ...), {Jobs.Length} jobs, {itemCount} items. {passwordNote}";
    }

    /// <summary>The organization's three buyers and the pool of contributors, of varied skill; returns the buyers.</summary>
    private async Task<List<ApplicationUser>> SeedPeopleAsync(Faker faker, Guid organizationId, string passwordHash, DateTime now, CancellationToken ct)
    {
        var buyers = new List<ApplicationUser>();
        foreach (var (name, i) in new[] { "Avery Chen", "Jordan Patel", "Sam Okafor" }.Select((n, i) => (n, i)))
        {
            buyers.Add(await CreateUserAsync($"buyer{i + 1}@demo.marketplace.test", name, passwordHash, Roles.Buyer, now.AddDays(-90 + i), organizationId));
        }

        for (var i = 0; i < ContributorCount; i++)
        {
            var person = new Person(faker.Locale, Seed + i);
            var user = await CreateUserAsync($"contributor{i + 1:000}@demo.marketplace.test", person.FullName, passwordHash, Roles.Contributor, now.AddDays(-faker.Random.Int(1, 300)), null);
            db.ContributorProfiles.Add(new ContributorProfile
            {
                UserId = user.Id,
                Pseudonym = $"C-{faker.Random.AlphaNumeric(8).ToUpperInvariant()}",
                Skills = string.Join(',', faker.PickRandom(Skills, faker.Random.Int(1, 4)).Order(StringComparer.Ordinal)),
                Languages = string.Join(',', faker.PickRandom(Languages, faker.Random.Int(1, 3)).Order(StringComparer.Ordinal)),
                Country = faker.Address.CountryCode(),
                // Skill varies: most are fine, some excellent, a few new or poor.
                Tier = faker.Random.WeightedRandom(["New", "Bronze", "Silver", "Gold"], [0.25f, 0.35f, 0.3f, 0.1f]),
                CreatedAt = user.CreatedAt,
            });
        }

        await db.SaveChangesAsync(ct);
        return buyers;
    }

    /// <summary>One job in its status, with its items and gold, and for a launched or funded one its demo money; returns its item count.</summary>
    private async Task<int> SeedJobAsync(Faker faker, JobSpec spec, int index, Guid organizationId, string buyerId, DateTime now, CancellationToken ct)
    {
        var job = new Job
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Title = spec.Title,
            Instructions = $"## What to do\n{faker.Lorem.Paragraph()}\n\n- {faker.Lorem.Sentence()}\n- {faker.Lorem.Sentence()}",
            TaskType = spec.Type,
            Labels = [.. spec.Labels],
            PayPerLabelMinor = faker.Random.Int(2, 12) * 5,
            Currency = "USD",
            Redundancy = spec.Type == TaskType.FreeText ? 2 : 3,
            TargetConfidence = spec.Type is TaskType.SingleChoice or TaskType.Pairwise ? 0.95 : null,
            GoldRate = 0.1,
            MinimumTier = index % 3 == 0 ? "Bronze" : null,
            Deadline = now.AddDays(faker.Random.Int(3, 40)),
            CreatedByUserId = buyerId,
            CreatedAt = now.AddDays(-30 + index),
        };
        job.BudgetMinor = job.PayPerLabelMinor * job.Redundancy * spec.Items * 115 / 100;
        foreach (var step in JobTransition.PathFromDraft(spec.Status))
        {
            job.Apply(step);
        }

        db.Jobs.Add(job);
        for (var i = 0; i < spec.Items; i++)
        {
            var isGold = i % 10 == 0;
            var finalized = spec.Status == JobStatus.Completed || (spec.Status is JobStatus.Active or JobStatus.Paused && faker.Random.Bool(0.4f));
            var answer = Answer(faker, spec.Type, spec.Labels);
            db.Items.Add(new Item
            {
                Id = Guid.CreateVersion7(),
                JobId = job.Id,
                ExternalId = $"{spec.Type.ToString().ToLowerInvariant()}-{i + 1:00000}",
                Payload = Payload(faker, spec.Type),
                IsGold = isGold,
                GoldAnswer = isGold ? answer : null,
                ConsensusAnswer = finalized && !isGold ? answer : null,
                Confidence = finalized && !isGold ? Math.Round(faker.Random.Double(0.9, 0.999), 3) : null,
                FinalizedAt = finalized && !isGold ? job.CreatedAt.AddHours(faker.Random.Int(1, 500)) : null,
                CreatedAt = job.CreatedAt,
            });
        }

        await db.SaveChangesAsync(ct);
        if (spec.Status is JobStatus.Funded or JobStatus.Active or JobStatus.Paused)
        {
            // Demo money: recorded as a dry-run payment, never a charge, so launched demo jobs can hand out work.
            await fund.ExecuteAsync(new Marketplace.Payouts.PaymentConfirmation($"demo_{job.Id:N}", job.Id, new Marketplace.Payouts.Money(job.BudgetMinor, job.Currency), DryRun: true), ct);
        }

        return spec.Items;
    }

    private async Task<ApplicationUser> CreateUserAsync(string email, string name, string passwordHash, string role, DateTime createdAt, Guid? organizationId)
    {
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            OrganizationId = organizationId,
            CreatedAt = createdAt,
            PasswordHash = passwordHash,
        };
        var result = await users.CreateAsync(user);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, role);
        }

        return result.Succeeded ? user : throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private static string Payload(Faker faker, TaskType type) => type switch
    {
        TaskType.SingleChoice or TaskType.MultiLabel when faker.Random.Bool() => JsonSerializer.Serialize(new { text = faker.Lorem.Sentences(2) }),
        TaskType.SingleChoice or TaskType.MultiLabel or TaskType.BoundingBox => JsonSerializer.Serialize(new { imageUrl = faker.Image.PicsumUrl(640, 480) }),
        TaskType.TextSpan => JsonSerializer.Serialize(new { text = $"This agreement between {faker.Company.CompanyName()} and {faker.Company.CompanyName()} is dated {faker.Date.Past():yyyy-MM-dd}." }),
        TaskType.Pairwise => JsonSerializer.Serialize(new { prompt = faker.Lorem.Sentence(), a = faker.Lorem.Sentences(2), b = faker.Lorem.Sentences(2) }),
        _ => JsonSerializer.Serialize(new { imageUrl = faker.Image.PicsumUrl(400, 600) }),
    };

    private static string Answer(Faker faker, TaskType type, string[] labels) => type switch
    {
        TaskType.SingleChoice or TaskType.Pairwise => JsonSerializer.Serialize(faker.PickRandom(labels)),
        TaskType.MultiLabel => JsonSerializer.Serialize(faker.PickRandom(labels, faker.Random.Int(1, 2)).ToArray()),
        TaskType.BoundingBox => JsonSerializer.Serialize(new[] { new { label = labels[0], x = faker.Random.Int(0, 400), y = faker.Random.Int(0, 300), w = faker.Random.Int(20, 200), h = faker.Random.Int(40, 160) } }),
        TaskType.TextSpan => JsonSerializer.Serialize(new[] { new { label = labels[0], start = 23, end = 40 } }),
        _ => JsonSerializer.Serialize(faker.Finance.Amount(1, 500).ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };
}

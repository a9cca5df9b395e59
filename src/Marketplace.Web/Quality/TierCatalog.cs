using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Payouts;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Quality;

/// <summary>
/// The tier set in effect: the latest saved version, or the configured tiers as version 1 until the first save. Every
/// read asks the database for the latest version number (one primary-key lookup, through the caller's context and so
/// inside its transaction) and re-reads the definitions only when that number moved, so a save on one node is what
/// every node uses from its next claim, payment or evaluation.
/// </summary>
public sealed class TierCatalog(IOptions<QualityOptions> quality, IOptions<PayoutsOptions> payouts)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly Lazy<TierSet> _configured = new(() => Configured(quality.Value, payouts.Value));
    private TierSet? _latest;

    /// <summary>Version 1: the configured tiers with the configured holds, gold served at the job's rate, every task type unlocked.</summary>
    public TierSet Initial => _configured.Value;

    public async Task<TierSet> CurrentAsync(MarketplaceDbContext db, CancellationToken ct)
    {
        var versions = db.Set<TierSetVersion>().AsNoTracking();
        var latest = await versions.MaxAsync(v => (int?)v.Version, ct);
        if (latest is null)
        {
            return Initial;
        }

        if (Volatile.Read(ref _latest) is { } cached && cached.Version == latest)
        {
            return cached;
        }

        var row = await versions.SingleAsync(v => v.Version == latest, ct);
        var set = Read(row);
        Volatile.Write(ref _latest, set);
        return set;
    }

    public static TierSet Read(TierSetVersion row) =>
        new(row.Version, JsonSerializer.Deserialize<List<TierLevel>>(row.Tiers, Json) ?? throw new InvalidOperationException($"Tier set version {row.Version} has no tiers."));

    public static string Write(IEnumerable<TierLevel> tiers) => JsonSerializer.Serialize(tiers.ToList(), Json);

    private static TierSet Configured(QualityOptions quality, PayoutsOptions payouts) =>
        new(1, quality.EffectiveTiers.Select((t, i) => new TierLevel(t.Name, i + 1, t.MinGoldCount, t.MinLowerBound, t.PayMultiplier, (int)payouts.HoldFor(t.Name).TotalDays, 1.0, [])));
}

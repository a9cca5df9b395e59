using Marketplace.Payouts;
using Marketplace.Scoring;
using Mono.Cecil;

namespace Marketplace.Architecture.Tests;

/// <summary>
/// The dependency rules of docs/architecture.md, checked on the compiled assemblies: the scoring engine stays pure,
/// the money engine knows nothing of the web, Marketplace.Web's features depend on each other in one direction only,
/// and pages and APIs use other features only through their public use cases.
/// </summary>
public class DependencyRules
{
    private static readonly TypeReferences Web = TypeReferences.Of(typeof(Program).Assembly);
    private static readonly TypeReferences Scoring = TypeReferences.Of(typeof(LabelSet).Assembly);
    private static readonly TypeReferences Payouts = TypeReferences.Of(typeof(Money).Assembly);

    [Fact]
    public void Scoring_ReferencesNothingOfOurs_AndNoPackageButMathNet()
    {
        var references = Scoring.Assembly.MainModule.AssemblyReferences.Select(r => r.Name).ToList();
        var allowed = references.Where(r => r is "netstandard" or "mscorlib" or "MathNet.Numerics" || r.StartsWith("System", StringComparison.Ordinal)).ToList();
        Assert.True(references.Count == allowed.Count, $"Marketplace.Scoring references {string.Join(", ", references.Except(allowed))}; it may use only the base library and MathNet.Numerics.");
    }

    [Fact]
    public void Scoring_DoesNoIo_AndUsesNoClockOrRandomnessItWasNotGiven()
    {
        string[] forbiddenNamespaces = ["System.IO", "System.Net", "Microsoft.Win32"];
        string[] forbiddenTypes = ["System.Console", "System.AppContext", "System.Diagnostics.Process", "System.Diagnostics.Stopwatch", "System.Threading.Timer"];
        var io = Scoring.Types.Where(u => forbiddenTypes.Contains(u.To.FullName) || forbiddenNamespaces.Any(n => u.To.Namespace == n || u.To.Namespace.StartsWith(n + ".", StringComparison.Ordinal)))
            .Select(Layers.Describe)
            .Concat(Scoring.Members.Where(m => m.To.DeclaringType.FullName == "System.Environment" && m.To.Name != "get_CurrentManagedThreadId") // the one an iterator's compiled code reads
                .Select(m => $"{m.From.FullName} reads the environment ({m.To.Name}) in {m.Where}"))
            .Distinct().ToList();
        Assert.True(io.Count == 0, "The scoring engine touches I/O:\n" + string.Join("\n", io));

        // Time and randomness come from the caller (a time, a seed), so a result can be reproduced.
        string[] forbiddenMembers =
        [
            "System.DateTime::get_Now", "System.DateTime::get_UtcNow", "System.DateTime::get_Today", "System.DateTimeOffset::get_Now",
            "System.DateTimeOffset::get_UtcNow", "System.TimeProvider::get_System", "System.Random::get_Shared", "System.Guid::NewGuid",
            "System.Guid::CreateVersion7",
        ];
        var impure = Scoring.Members.Where(m => forbiddenMembers.Contains($"{m.To.DeclaringType.FullName}::{m.To.Name}")
                || (m.To is MethodReference { Name: ".ctor", Parameters.Count: 0 } ctor && ctor.DeclaringType.FullName == "System.Random"))
            .Select(m => $"{m.From.FullName} calls {m.To.DeclaringType.Name}.{m.To.Name} in {m.Where}").Distinct().ToList();
        Assert.True(impure.Count == 0, "The scoring engine reads a clock or unseeded randomness:\n" + string.Join("\n", impure));
    }

    [Fact]
    public void Payouts_DependsNeitherOnWebNorOnAspNetCore()
    {
        var references = Payouts.Assembly.MainModule.AssemblyReferences.Select(r => r.Name)
            .Where(r => r.StartsWith("Marketplace.Web", StringComparison.Ordinal) || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToList();
        Assert.True(references.Count == 0, $"Marketplace.Payouts references {string.Join(", ", references)}.");
        var uses = Payouts.Types.Where(u => u.To.Namespace.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || u.To.Namespace.StartsWith("Marketplace.Web", StringComparison.Ordinal))
            .Select(Layers.Describe).Distinct().ToList();
        Assert.True(uses.Count == 0, "Marketplace.Payouts uses the web:\n" + string.Join("\n", uses));
    }

    [Fact]
    public void Features_DependOnEachOtherInOneDirectionOnly()
    {
        var graph = FeatureGraph.Of(Web);
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(c => $"These features depend on each other, directly or through others: {string.Join(", ", c)}\n" + string.Join("\n", graph.EdgesWithin(c)))));
    }

    [Fact]
    public void SharedPlumbing_UsesNoFeature()
    {
        // Domain uses nothing of the web app; Data only Domain; Hosting only Domain and Data.
        var allowed = new Dictionary<string, string[]> { ["Domain"] = [], ["Data"] = ["Domain"], ["Hosting"] = ["Domain", "Data"] };
        var offending = Web.Types
            .Where(u => Layers.PartOf(u.From) is { } from && allowed.ContainsKey(from) && Layers.PartOf(u.To) is { } to && to != from && !allowed[from].Contains(to))
            .Select(Layers.Describe).Distinct().ToList();
        Assert.True(offending.Count == 0, "Shared plumbing uses a feature:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void NothingBelow_UsesTheCompositionRootOrThePages()
    {
        var offending = Web.Types
            .Where(u => Layers.PartOf(u.From) is { } from && from is not (Layers.Composition or Layers.Pages) && Layers.PartOf(u.To) is Layers.Composition or Layers.Pages)
            .Select(Layers.Describe).Distinct().ToList();
        Assert.True(offending.Count == 0, "A feature uses the composition root or a page:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void PagesAndApis_UseOtherFeaturesOnlyThroughTheirPublicSurface()
    {
        var offending = EdgeUses()
            .Where(u => Layers.PartOf(u.To) is { } to && to != Layers.PartOf(u.From) && u.To.Resolve() is { } target && !IsPublic(target))
            .Select(Layers.Describe).Distinct().ToList();
        Assert.True(offending.Count == 0, "A page or API reaches into another feature's internals:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void PagesAndApis_NeverReachIntoTheDatabase()
    {
        // The DbContext is every feature's, but an edge reads and writes through a feature's use case or query.
        var offending = EdgeUses()
            .Where(u => u.To.Namespace.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || Layers.PartOf(u.To) == "Data")
            .Select(Layers.Describe).Distinct().ToList();
        Assert.True(offending.Count == 0, "A page or API uses the database directly:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void UseCases_ReturnDomainOutcomes_NotHttpResults()
    {
        // Only a route group's *Api class (and Hosting's one mapping) turns an outcome into an HTTP answer.
        string[] http = ["Microsoft.AspNetCore.Http.HttpResults", "Microsoft.AspNetCore.Http.IResult", "Microsoft.AspNetCore.Http.TypedResults", "Microsoft.AspNetCore.Http.Results"];
        var offending = Web.Types
            .Where(u => Layers.PartOf(u.From) is { } part && Layers.IsFeature(part) && !Layers.IsApi(u.From))
            .Where(u => http.Any(h => u.To.FullName == h || u.To.Namespace == h))
            .Select(Layers.Describe).Distinct().ToList();
        Assert.True(offending.Count == 0, "A use case speaks HTTP:\n" + string.Join("\n", offending));
    }

    /// <summary>What pages (their models and views) and the route groups' <c>*Api</c> classes use.</summary>
    private static IEnumerable<TypeUse> EdgeUses() =>
        Web.Types.Where(u => Layers.PartOf(u.From) == Layers.Pages || (Layers.PartOf(u.From) is { } part && Layers.IsFeature(part) && Layers.IsApi(u.From)));

    private static bool IsPublic(TypeDefinition type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (!(t.IsPublic || t.IsNestedPublic))
            {
                return false;
            }
        }

        return true;
    }
}

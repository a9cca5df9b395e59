using AutoMapper;
using AutoMapper.QueryableExtensions;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Identity;

public sealed record CreateApiTokenRequest(string? Name, int? ExpiresInDays);

public sealed record CreatedApiTokenResponse(Guid Id, string Name, string Token, string Prefix, DateTime? ExpiresAt);

public sealed record ApiTokenResponse(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>Creates, lists and revokes a buyer's personal API tokens.</summary>
public sealed class ApiTokenService(MarketplaceDbContext db, TimeProvider clock, IMapper mapper)
{
    public const int MaxNameLength = 100;
    public const int MaxExpiryDays = 365;

    public async Task<Outcome<CreatedApiTokenResponse>> CreateAsync(string userId, CreateApiTokenRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["A token needs a name, so you can tell your tokens apart."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = [$"At most {MaxNameLength} characters."];
        }

        if (request.ExpiresInDays is < 1 or > MaxExpiryDays)
        {
            errors["expiresInDays"] = [$"Between 1 and {MaxExpiryDays} days, or leave it out for the default of 90."];
        }

        if (errors.Count > 0)
        {
            return Failure.Validation(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = ApiToken.NewSecret();
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = name!,
            Prefix = secret[..12],
            Hash = ApiToken.HashOf(secret),
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ExpiresInDays ?? 90),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new CreatedApiTokenResponse(token.Id, token.Name, secret, token.Prefix, token.ExpiresAt);
    }

    public Task<List<ApiTokenResponse>> ListAsync(string userId, CancellationToken ct) =>
        db.ApiTokens.Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt)
            .ProjectTo<ApiTokenResponse>(mapper.ConfigurationProvider)
            .ToListAsync(ct);

    public async Task<bool> RevokeAsync(string userId, Guid id, CancellationToken ct)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (token is null)
        {
            return false;
        }

        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }
}

public sealed class IdentityMappingProfile : Profile
{
    public IdentityMappingProfile() => CreateMap<ApiToken, ApiTokenResponse>();
}

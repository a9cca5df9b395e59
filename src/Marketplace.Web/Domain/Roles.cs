namespace Marketplace.Web.Domain;

public static class Roles
{
    public const string Buyer = nameof(Buyer);
    public const string Contributor = nameof(Contributor);
    public const string Admin = nameof(Admin);

    public static readonly IReadOnlyList<string> All = [Buyer, Contributor, Admin];
}

using System.Globalization;

namespace Marketplace.Web.Hosting;

/// <summary>
/// A route segment that must be one of the enum's names (any letter case): <c>/qualifications/SingleChoice</c>. Without
/// it a route binds any integer (<c>/qualifications/99</c>) or a comma list of names as the enum, values that name
/// nothing. Registered as <c>tasktype</c> (<see cref="HostingRegistrations"/>).
/// </summary>
public sealed class EnumNameRouteConstraint<TEnum> : IRouteConstraint
    where TEnum : struct, Enum
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value)
        && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text
        && Enum.GetNames<TEnum>().Contains(text, StringComparer.OrdinalIgnoreCase);
}

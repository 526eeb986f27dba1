namespace LinuxNet.Route;

/// <summary>One rule addition or deletion as the encoder writes it: the spec with its interfaces resolved to names.</summary>
/// <param name="Spec">The rule.</param>
/// <param name="Add"><see langword="true"/> for <c>RTM_NEWRULE</c>, <see langword="false"/> for <c>RTM_DELRULE</c>.</param>
/// <param name="InputName">The name for <c>FRA_IIFNAME</c>, or <see langword="null"/>.</param>
/// <param name="OutputName">The name for <c>FRA_OIFNAME</c>, or <see langword="null"/>.</param>
internal readonly record struct RuleRequest(RuleSpec Spec, bool Add, string? InputName, string? OutputName);

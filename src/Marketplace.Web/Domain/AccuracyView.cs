namespace Marketplace.Web.Domain;

/// <summary>Gold accuracy: posterior mean, its 95% credible interval, and the gold answers it rests on.</summary>
public sealed record AccuracyView(double Mean, double Lower95, double Upper95, int GoldAnswers, int GoldCorrect);

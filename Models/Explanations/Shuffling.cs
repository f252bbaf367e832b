namespace MlToolkit.Models.Explanations;

/// <summary>Seeded Fisher–Yates shuffles.</summary>
internal static class Shuffling
{
    /// <summary><paramref name="items"/> shuffled in place and returned.</summary>
    public static T[] Shuffled<T>(this T[] items, Random random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }
}

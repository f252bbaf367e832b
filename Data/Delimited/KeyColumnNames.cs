namespace MlToolkit.Data.Delimited;

/// <summary>
/// Whether a column's name says it holds keys: its last word is <c>id</c>, <c>key</c>, <c>uuid</c>, <c>guid</c>,
/// <c>number</c>, <c>no</c> or <c>nr</c> (<c>CustomerID</c>, <c>order_key</c>, <c>EmployeeNumber</c>, <c>Invoice No</c>).
/// Unique whole numbers are keys only under such a name: a measurement (a price in cents, a census count) can be
/// different in every row of a small table too.
/// </summary>
public static class KeyColumnNames
{
    private static readonly HashSet<string> KeyWords = new(StringComparer.OrdinalIgnoreCase) { "id", "key", "uuid", "guid", "number", "no", "nr" };

    /// <summary>True when the last word of <paramref name="name"/> names a key.</summary>
    public static bool NamesKeys(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = Words(name);
        return words.Count > 0 && KeyWords.Contains(words[^1]);
    }

    /// <summary>
    /// The words of a column name: runs of letters or digits, split again where a lower-case letter meets an upper-case
    /// one (<c>customerId</c> → customer, Id) or an upper-case run meets a word (<c>IDNumber</c> → ID, Number).
    /// </summary>
    public static IReadOnlyList<string> Words(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var inWord = i < name.Length && char.IsLetterOrDigit(name[i]);
            if (start >= 0 && (!inWord || StartsWord(name, i)))
            {
                words.Add(name[start..i]);
                start = -1;
            }
            if (inWord && start < 0)
                start = i;
        }
        return words;
    }

    private static bool StartsWord(string name, int i) =>
        char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
            || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
}

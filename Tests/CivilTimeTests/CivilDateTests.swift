import CivilTime
import Testing

@Suite struct CivilDateTests {
    @Test(arguments: [
        (0, CivilDate(year: 1970, month: 1, day: 1)),
        (-1, CivilDate(year: 1969, month: 12, day: 31)),
        (11_016, CivilDate(year: 2000, month: 2, day: 29)),
        (19_782, CivilDate(year: 2024, month: 2, day: 29)),
        (19_783, CivilDate(year: 2024, month: 3, day: 1)),
        (47_540, CivilDate(year: 2100, month: 2, day: 28)),
        (47_541, CivilDate(year: 2100, month: 3, day: 1)),  // 2100 is not a leap year
        (-719_468, CivilDate(year: 0, month: 3, day: 1)),
    ])
    func convertsKnownDays(days: Int, date: CivilDate) {
        #expect(CivilDate(daysSince1970: days) == date)
        #expect(date.daysSince1970 == days)
    }

    /// Every day from 1600 to 2400 maps to the next calendar day after the previous one.
    @Test func walksEveryDayInOrder() {
        var expected = CivilDate(year: 1600, month: 1, day: 1)
        for days in expected.daysSince1970..<CivilDate(year: 2400, month: 1, day: 1).daysSince1970 {
            let date = CivilDate(daysSince1970: days)
            #expect(date == expected)
            if date != expected { return }
            #expect(date.daysSince1970 == days)
            if expected.day < CivilDate.daysIn(month: expected.month, year: expected.year) {
                expected.day += 1
            } else if expected.month < 12 {
                expected = CivilDate(year: expected.year, month: expected.month + 1, day: 1)
            } else {
                expected = CivilDate(year: expected.year + 1, month: 1, day: 1)
            }
        }
    }

    @Test func daysInFebruaryFollowsTheGregorianRule() {
        #expect(CivilDate.daysIn(month: 2, year: 2024) == 29)
        #expect(CivilDate.daysIn(month: 2, year: 2000) == 29)
        #expect(CivilDate.daysIn(month: 2, year: 2100) == 28)
        #expect(CivilDate.daysIn(month: 2, year: 2026) == 28)
        #expect(CivilDate.daysIn(month: 4, year: 2026) == 30)
    }

    @Test func dayContainingASecondRoundsTowardThePast() {
        #expect(CivilDate.days(containing: 0) == 0)
        #expect(CivilDate.days(containing: 86_399) == 0)
        #expect(CivilDate.days(containing: 86_400) == 1)
        #expect(CivilDate.days(containing: -1) == -1)
        #expect(CivilDate.days(containing: -86_400) == -1)
        #expect(CivilDate.days(containing: -86_401) == -2)
    }
}

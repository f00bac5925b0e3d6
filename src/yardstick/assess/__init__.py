"""Assessment: achievement (達成度), lights (燈號), trends and in-year projection."""

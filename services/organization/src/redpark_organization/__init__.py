"""The organization service: the park's party organization (组织覆盖、党员管理、党费、发展党员)."""

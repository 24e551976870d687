"""Red Park enterprise-support service (党建+科技, 党建+服务)."""

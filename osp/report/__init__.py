"""`osp report`'s domain: what the HTML proof report shows (rendered by osp.render.html)."""
